// The start page: create a manifesto, then hand out its three links.

import { el, show } from './dom.js';
import { clean } from './text.js';

const FIELDS = ['title', 'text', 'language', 'token'];
const LANGUAGE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;

const form = el('create-form');
const submit = el('create-submit');

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  clearErrors();
  // Invisible controls and noncharacters that came with a paste: the server would refuse them.
  const title = clean(el('title').value).trim();
  const text = clean(el('text').value);
  const language = el('language').value.trim() || 'en';
  const local = {};
  if (!title) local.title = 'Please give the manifesto a title.';
  if (!LANGUAGE.test(language)) local.language = 'Use a language code such as en, ar, fa or pt-BR.';
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
  submit.textContent = 'Creating…';
  try {
    let res;
    try {
      res = await fetch('/api/manifestos', {
        method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body),
      });
    } catch (err) {
      showErrors('Could not reach the server. Check your connection and try again; what you typed is still here.');
      return;
    }
    const reply = await res.json().catch(() => null);
    if (res.status !== 201 || !reply || !reply.tokens) {
      const [message, fields] = explain(res, reply, token);
      showErrors(message, fields);
      return;
    }
    showLinks(reply);
  } finally {
    submit.disabled = false;
    submit.textContent = 'Create manifesto';
  }
});

/** What to tell the person about a refusal: a general message and messages per field. */
function explain(res, reply, token) {
  const said = reply && typeof reply.message === 'string' ? reply.message : null;
  switch (res.status) {
    case 401:
      show('token-field', true);
      return [null, {
        token: token ? 'This creation token is not right. Check it with the organisers and try again.'
          : 'This server asks for a creation token before starting a manifesto. Enter it here.',
      }];
    case 413:
      return ['The first text is too long to start with. Start with a shorter text and add the rest in the editor.',
        { text: (reply && reply.fields && reply.fields.text) || 'Too long.' }];
    case 429: {
      const seconds = Number.parseInt(res.headers.get('Retry-After') || '', 10);
      return [`Too many manifestos were started from your network recently. Please try again ${waitWords(seconds)};`
        + ' what you typed is still here.', null];
    }
    default:
      return [said || `The server could not create the manifesto (HTTP ${res.status}).`, reply && reply.fields];
  }
}

/** "in about 40 minutes", from a Retry-After in seconds. */
function waitWords(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return 'in a little while';
  if (seconds < 90) return `in about ${Math.max(1, Math.round(seconds))} seconds`;
  if (seconds < 90 * 60) return `in about ${Math.round(seconds / 60)} minutes`;
  return `in about ${Math.round(seconds / 3600)} hours`;
}

function clearErrors() {
  show('form-error', false);
  for (const f of FIELDS) {
    el(`${f}-error`).textContent = '';
    el(`${f}-error`).hidden = true;
    el(f).removeAttribute('aria-invalid');
  }
}

/**
 * Show a general message and per-field messages. The API's `fields` may be
 * an object {field: message}, a list of {field, message}, or a list of names.
 */
function showErrors(message, fields) {
  const perField = {};
  if (Array.isArray(fields)) {
    for (const f of fields) {
      if (typeof f === 'string') perField[f] = message || 'Please check this field.';
      else if (f && typeof f.field === 'string') perField[f.field] = f.message || 'Please check this field.';
    }
  } else if (fields && typeof fields === 'object') {
    for (const [k, v] of Object.entries(fields)) perField[k] = typeof v === 'string' ? v : 'Please check this field.';
  }
  let first = null;
  for (const [f, text] of Object.entries(perField)) {
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

function showLinks(reply) {
  const base = `${location.origin}/m/${encodeURIComponent(reply.id)}`;
  const links = {
    admin: `${base}/admin#token=${encodeURIComponent(reply.tokens.admin)}`,
    editor: `${base}/edit#token=${encodeURIComponent(reply.tokens.editor)}`,
    viewer: `${base}/view#token=${encodeURIComponent(reply.tokens.viewer)}`,
  };
  el('created-title').textContent = reply.title || '';
  for (const [role, url] of Object.entries(links)) {
    const a = el(`link-${role}`);
    a.href = url;
    a.textContent = url;
    el(`copy-${role}`).onclick = () => copy(url, el(`copy-${role}`));
  }
  show('create', false);
  show('created', true);
  el('created-heading').focus();
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
  button.textContent = ok ? 'Copied' : 'Select the link and copy it';
  setTimeout(() => { button.textContent = label; }, 2000);
}
