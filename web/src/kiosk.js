// The kiosk page /p/{id}/kiosk: one device at a reading, passed from hand to
// hand. A big form that clears itself after each signature and shows a
// thank-you meanwhile; with requireEmail:false no email is needed and the
// signature counts at once. Nothing typed is remembered by the browser.

import { el, show } from './dom.js';
import { call } from './versions.js';
import { mountSignForm } from './sign-form.js';
import { followCount } from './sign-live.js';
import { answerText, progress } from './sign.js';

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'sd', 'ug', 'yi', 'dv', 'syr', 'prs']);
const THANKS_MS = 6000; // the thank-you stays this long, then the form is ready for the next person
const IDLE_MS = 120000; // a form left half filled is cleared, so the next person does not see it
const match = /^\/p\/([^/]+)\/kiosk\/?$/.exec(location.pathname);
const pageLanguage = document.documentElement.lang || 'en';
const state = { language: '', settings: {}, timer: null };

if (match) start(decodeURIComponent(match[1]));
else fail('This address does not name a manifesto.');

async function start(doc) {
  const key = readKey();
  if (!key) {
    fail('This kiosk link is incomplete: the part after “#key=” is missing. Open the kiosk link from the organisers’ signing panel.');
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
        ? 'Thank you! Your signature is counted.' : answerText(status, body.email);
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
  try {
    const v = await call(`/api/manifestos/${encodeURIComponent(doc)}/published`);
    document.title = `Sign: ${v.title} · Convene`;
    el('title').textContent = v.title;
    if (typeof v.language === 'string' && /^[A-Za-z0-9-]{1,35}$/.test(v.language)) {
      state.language = v.language;
      el('title').lang = v.language;
      const primary = v.language.split('-')[0].toLowerCase();
      if (RTL_LANGUAGES.has(primary) || /-Arab$/i.test(v.language)) document.documentElement.dir = 'rtl';
    }
  } catch (e) {
    fail(e.status === 404 ? 'Nothing has been published here yet.' : `The manifesto could not be loaded: ${e.message}`);
    show('sign-form', false);
    return;
  }
  await loadSettings(doc);
  followCount({
    doc,
    onCount: (c) => {
      if ('goal' in c) state.settings.goal = c.goal;
      const { text, ratio } = progress(c.confirmed, state.settings.goal, pageLanguage);
      el('sign-count').textContent = text;
      el('sign-count').dataset.confirmed = String(c.confirmed);
      el('sign-meter').hidden = ratio === null;
      if (ratio !== null) el('sign-meter').value = ratio;
    },
  });
  el('sign-name').focus();
}

/** Open, past its deadline, kiosk switched on: the public settings (GET .../signing). */
async function loadSettings(doc) {
  try {
    state.settings = { ...state.settings, ...(await call(`/api/manifestos/${encodeURIComponent(doc)}/signing`)) };
  } catch (e) {
    show('sign-form', el('sign-done').hidden); // signing itself then says why, if it refuses
    return;
  }
  const s = state.settings;
  state.closed = s.accepting === false || s.open === false || s.kiosk === false;
  el('sign-closed').textContent = s.kiosk === false
    ? 'The organisers have not switched this kiosk on.' : 'Signing is closed: no more signatures are taken.';
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

function fail(text) {
  el('message').textContent = text;
  show('message', true);
}
