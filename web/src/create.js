// The start page: create a manifesto, then hand out its three links (the links page). The links
// are kept in this tab's sessionStorage so that a reload does not lose them, and are sent nowhere
// unless the person asks the server to email them.

import { el, show } from './dom.js';
import { clean } from './text.js';
import { formatRelative, lang, mountLanguageSwitches, t } from './i18n.js';
import { linksOf, readKept, safeFileName } from './links.js';

const FIELDS = ['title', 'text', 'language', 'token'];
const LANGUAGE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const KEPT = 'convene.created';

const form = el('create-form');
const submit = el('create-submit');
const startTitle = document.title;
/** The manifesto on the links page: its creation answer. */
let current = null;

mountLanguageSwitches(); // (which also drops a served ?lang= from the address)
// Whoever reads this page in Arabic most likely writes in Arabic: the text's language starts as the
// interface's (still a field to change), so a manifesto is not marked English by default.
el('language').value = lang();
const kept = readKept(storage('get'));
if (kept) showLinks(kept, false);

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors();
  // Invisible controls and noncharacters that came with a paste: the server would refuse them.
  const title = clean(el('title').value).trim();
  const text = clean(el('text').value);
  const language = el('language').value.trim() || 'en';
  const local = {};
  if (!title) local.title = t('create.errorTitle');
  if (!LANGUAGE.test(language)) local.language = t('create.errorLanguage');
  if (Object.keys(local).length) {
    showErrors(null, local);
    return;
  }

  const body = { title, language };
  if (text.trim()) body.text = text;
  const token = el('token').value.trim();
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  submit.disabled = true;
  submit.textContent = t('create.submitting');
  try {
    let res;
    try {
      res = await fetch('/api/manifestos', {
        method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body),
      });
    } catch (err) {
      showErrors(t('create.errorNetwork'));
      return;
    }
    const reply = await res.json().catch(() => null);
    if (res.status !== 201 || !reply || !reply.tokens) {
      const [message, fields] = explain(res, reply, token);
      showErrors(message, fields);
      return;
    }
    const created = { id: reply.id, title: reply.title || title, tokens: reply.tokens, emailLinks: reply.emailLinks === true };
    storage('set', JSON.stringify(created));
    showLinks(created, true);
  } finally {
    submit.disabled = false;
    submit.textContent = t('create.submit');
  }
});

/** What to tell the person about a refusal: a general message and messages per field. */
function explain(res, reply, token) {
  const fields = reply && reply.fields && typeof reply.fields === 'object' ? reply.fields : {};
  switch (res.status) {
    case 400: {
      // The server's words are English; say the same in the interface's language, per field.
      const perField = {};
      if ('title' in fields) perField.title = t('create.errorTitleInvalid');
      if ('text' in fields) perField.text = t('create.errorTextInvalid');
      if ('language' in fields) perField.language = t('create.errorLanguage');
      return [Object.keys(perField).length ? null : t('create.errorUnexpected', { status: res.status }), perField];
    }
    case 401:
      show('token-field', true);
      return [null, { token: token ? t('create.errorTokenWrong') : t('create.errorTokenNeeded') }];
    case 413: {
      const max = Number.parseInt(/\d+/.exec(String(fields.text || ''))?.[0] || '', 10);
      return [t('create.errorTooLong'),
        { text: Number.isFinite(max) ? t('create.errorTextMax', { max }) : t('create.errorCheckField') }];
    }
    case 429:
      return [t('create.errorRateLimited', { when: whenAgain(res) }), null];
    default:
      return [t('create.errorUnexpected', { status: res.status }), null];
  }
}

/** "in 40 minutes", in the interface's language, from a Retry-After in seconds. */
function whenAgain(res) {
  const seconds = Number.parseInt(res.headers.get('Retry-After') || '', 10);
  if (!Number.isFinite(seconds) || seconds <= 0) return t('create.later');
  if (seconds < 90) return formatRelative(Math.max(1, Math.round(seconds)), 'second');
  if (seconds < 90 * 60) return formatRelative(Math.round(seconds / 60), 'minute');
  return formatRelative(Math.round(seconds / 3600), 'hour');
}

function clearErrors() {
  show('form-error', false);
  for (const f of FIELDS) {
    el(`${f}-error`).textContent = '';
    el(`${f}-error`).hidden = true;
    el(f).removeAttribute('aria-invalid');
  }
}

/** Show a general message and messages per field ({field: message}), and move focus to the first. */
function showErrors(message, fields) {
  let first = null;
  for (const [f, text] of Object.entries(fields || {})) {
    if (!FIELDS.includes(f)) continue;
    const box = el(`${f}-error`);
    box.textContent = text;
    box.hidden = false;
    el(f).setAttribute('aria-invalid', 'true');
    first = first || el(f);
  }
  if (message) {
    el('form-error').textContent = message;
    show('form-error', true);
  }
  (first || el('form-error')).focus();
}

/** The links page. `fresh`: just created (focus its heading); else restored after a reload. */
function showLinks(created, fresh) {
  current = created;
  const links = linksOf(location.origin, created);
  el('created-title').textContent = created.title;
  for (const [role, url] of Object.entries(links)) {
    const a = el(`link-${role}`);
    a.href = url;
    a.textContent = url;
    el(`copy-${role}`).onclick = () => copy(url, el(`copy-${role}`));
  }
  el('open-editor').href = links.admin;
  show('email-form', created.emailLinks);
  el('email-status').textContent = '';
  show('create', false);
  show('created', true);
  document.title = t('create.readyTitle');
  if (fresh) el('created-heading').focus();
}

el('download-links').addEventListener('click', () => {
  if (!current) return;
  const links = linksOf(location.origin, current);
  const text = t('create.fileText', { title: current.title, admin: links.admin, editor: links.editor, viewer: links.viewer });
  // CRLF: Notepad on older Windows shows a plain LF file as one line.
  const blob = new Blob([text.replace(/\r?\n/g, '\r\n')], { type: 'text/plain;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${safeFileName(t('create.fileName', { title: safeFileName(current.title, '') }), 'manifesto')}.txt`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});

el('forget-links').addEventListener('click', () => {
  storage('remove');
  current = null;
  for (const role of ['admin', 'editor', 'viewer']) {
    el(`link-${role}`).textContent = '';
    el(`link-${role}`).href = '#';
  }
  el('open-editor').href = '#';
  form.reset();
  clearErrors();
  show('created', false);
  show('create', true);
  document.title = startTitle;
  el('title').focus();
});

el('email-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current) return;
  const input = el('email');
  const status = el('email-status');
  const error = el('email-error');
  const button = el('email-submit');
  error.hidden = true;
  input.removeAttribute('aria-invalid');
  status.textContent = '';
  const email = input.value.trim();
  if (!EMAIL.test(email)) {
    emailError(t('create.emailInvalid'));
    return;
  }
  button.disabled = true;
  button.textContent = t('create.emailSending');
  try {
    let res;
    try {
      res = await fetch(`/api/manifestos/${encodeURIComponent(current.id)}/links/email`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${current.tokens.admin}` },
        body: JSON.stringify({ email, editor: current.tokens.editor, viewer: current.tokens.viewer }),
      });
    } catch (err) {
      emailError(t('create.errorNetwork'));
      return;
    }
    if (res.ok) {
      // Isolated (FSI ... PDI), so that the address keeps its order inside a right-to-left sentence.
      status.textContent = t('create.emailSent', { email: `\u2068${email}\u2069` });
      return;
    }
    const reply = await res.json().catch(() => null);
    if (res.status === 400 && reply && reply.fields && 'email' in reply.fields) emailError(t('create.emailInvalid'));
    else if (res.status === 429) emailError(t('create.emailRateLimited', { when: whenAgain(res) }));
    else if (res.status === 503) emailError(t('create.emailUnavailable'));
    else emailError(t('create.emailFailed', { status: res.status }));
  } finally {
    button.disabled = false;
    button.textContent = t('create.emailSend');
  }
});

function emailError(message) {
  const error = el('email-error');
  error.textContent = message;
  error.hidden = false;
  el('email').setAttribute('aria-invalid', 'true');
  el('email').focus();
}

async function copy(text, button) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch (e) {
    // Older browsers, or no permission: copy through a selected text field.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    try { ok = document.execCommand('copy'); } catch (err) { ok = false; }
    area.remove();
  }
  const label = button.dataset.label || (button.dataset.label = button.textContent);
  const said = ok ? t('create.copied') : t('create.copyFailed');
  button.textContent = said;
  el('copy-status').textContent = said;
  setTimeout(() => { button.textContent = label; }, 2000);
}

/** sessionStorage, which a browser may refuse (private modes, storage off): then the page just forgets. */
function storage(op, value) {
  try {
    if (op === 'get') return sessionStorage.getItem(KEPT);
    if (op === 'set') sessionStorage.setItem(KEPT, value);
    if (op === 'remove') sessionStorage.removeItem(KEPT);
  } catch (e) {
    // Nothing kept: the links are on the page until it is left.
  }
  return null;
}
