// The kiosk page /p/{id}/kiosk: one device at a reading, passed from hand to
// hand. A big form that clears itself after each signature and shows a
// thank-you meanwhile; with requireEmail:false no email is needed and the
// signature counts at once. Nothing typed is remembered by the browser.

import { el, show } from './dom.js';
import { directionOf, mountLanguageSwitches, t } from './i18n.js';
import { mountSignForm } from './sign-form.js';
import { countText, followCount } from './sign-live.js';
import { answerText } from './sign.js';
import { cleanTag } from './published-editions.js';

const THANKS_MS = 6000; // the thank-you stays this long, then the form is ready for the next person
const IDLE_MS = 120000; // a form left half filled is cleared, so the next person does not see it
const match = /^\/p\/([^/]+)\/kiosk\/?$/.exec(location.pathname);
const state = { language: '', settings: {}, timer: null };

mountLanguageSwitches();
if (match) start(decodeURIComponent(match[1]));
else fail(t('published.unknown.body'));

async function start(doc) {
  const key = readKey();
  if (!key) {
    fail(t('published.kiosk.noKey'));
    show('sign-form', false);
    return;
  }
  const form = mountSignForm({
    form: el('sign-form'),
    doc,
    requireEmail: () => false, // the kiosk's key lets a signature count without email
    language: () => state.language,
    headers: () => (key ? { 'X-Kiosk-Key': key } : {}),
    onDone: (status, body) => {
      clearTimeout(state.idle);
      form.reset(); // the next person must not see what this one typed
      el('sign-done-text').textContent = status === 'confirmed'
        ? t('published.kiosk.thanks') : answerText(status, body.email);
      show('sign-form', false);
      show('sign-done', true);
      el('sign-done').focus();
      clearTimeout(state.timer);
      state.timer = setTimeout(next, THANKS_MS);
    },
  });
  function next() {
    clearTimeout(state.timer);
    show('sign-done', false);
    show('sign-form', !state.closed);
    el('sign-name').focus();
  }
  el('sign-next').addEventListener('click', next);
  el('sign-form').addEventListener('input', () => {
    clearTimeout(state.idle);
    state.idle = setTimeout(() => form.reset(), IDLE_MS);
  });
  let v;
  try {
    v = await get(`/api/manifestos/${encodeURIComponent(doc)}/published`);
  } catch (e) {
    // Which it is: the public settings exist exactly when the manifesto does.
    const known = e.status === 404 ? await get(`/api/manifestos/${encodeURIComponent(doc)}/signing`).then(() => true, () => false) : true;
    if (e.status === 404) fail(known ? t('published.unpublished.body') : t('published.unknown.body'));
    else fail(e.status ? t('common.serverError') : t('published.offline.body'));
    if (!e.status) window.addEventListener('online', () => location.reload(), { once: true });
    show('sign-form', false);
    return;
  }
  document.title = t('published.kiosk.docTitle', { title: `\u2068${v.title}\u2069` });
  state.language = cleanTag(v.language) || 'en'; // the signature records the language read at the kiosk
  el('title').textContent = v.title;
  el('title').lang = state.language;
  el('title').dir = directionOf(state.language);
  await loadSettings(doc, key);
  followCount({
    doc,
    onCount: (c) => {
      if ('goal' in c) state.settings.goal = c.goal;
      const { text, ratio } = countText(c.confirmed, state.settings.goal);
      el('sign-count').textContent = text;
      el('sign-count').dataset.confirmed = String(c.confirmed);
      el('sign-meter').hidden = ratio === null;
      if (ratio !== null) el('sign-meter').value = ratio;
    },
    onState: (online) => {
      el('sign-stale').textContent = online ? '' : t('published.stale');
      show('sign-stale', !online);
    },
  });
  el('sign-name').focus();
}

/** Open, past its deadline, kiosk switched on: the public settings (GET .../signing). */
async function loadSettings(doc, key) {
  try {
    state.settings = { ...state.settings, ...(await get(`/api/manifestos/${encodeURIComponent(doc)}/signing`, { 'X-Kiosk-Key': key })) };
  } catch (e) {
    show('sign-form', el('sign-done').hidden); // signing itself then says why, if it refuses
    return;
  }
  const s = state.settings;
  // A wrong or replaced key is said at once, not when the first person has typed and pressed Sign.
  const badKey = s.kiosk !== false && s.kioskKey === 'invalid';
  state.closed = s.accepting === false || s.open === false || s.kiosk === false || badKey;
  el('sign-closed').textContent = s.kiosk === false ? t('published.kiosk.off')
    : badKey ? t('signing.refused.kioskKey') : t('published.closed');
  show('sign-closed', state.closed);
  show('sign-form', !state.closed && el('sign-done').hidden);
}

/** The kiosk key travels in the fragment (#key=...), so it never reaches a server log. */
function readKey() {
  for (const part of location.hash.replace(/^#/, '').split('&')) {
    if (part.startsWith('key=')) {
      try { return decodeURIComponent(part.slice(4)).trim() || null; } catch (e) { return part.slice(4).trim() || null; }
    }
  }
  return null;
}

/** A GET of the API; throws an Error with the status (none when the network failed), never the server's words. */
async function get(path, headers = {}) {
  const res = await fetch(path, { headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' });
  const body = res.ok ? await res.json().catch(() => undefined) : undefined;
  if (body === undefined) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.ok ? 502 : res.status });
  return body;
}

function fail(text) {
  el('message').textContent = text;
  show('message', true);
}
