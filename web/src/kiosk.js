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
const match = /^\/p\/([^/]+)\/kiosk\/?$/.exec(location.pathname);
const pageLanguage = document.documentElement.lang || 'en';
const state = { language: '', settings: {}, timer: null };

if (match) start(decodeURIComponent(match[1]));
else fail('This address does not name a manifesto.');

async function start(doc) {
  const form = mountSignForm({
    form: el('sign-form'),
    doc,
    requireEmail: () => state.settings.requireEmail !== false,
    language: () => state.language,
    extra: { kiosk: true },
    onDone: (status, body) => {
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
  followCount({
    doc,
    onCount: (c) => {
      for (const k of ['goal', 'deadline', 'open', 'requireEmail', 'kiosk']) if (k in c) state.settings[k] = c[k];
      const { text, ratio } = progress(c.confirmed, state.settings.goal, pageLanguage);
      el('sign-count').textContent = text;
      el('sign-count').dataset.confirmed = String(c.confirmed);
      el('sign-meter').hidden = ratio === null;
      if (ratio !== null) el('sign-meter').value = ratio;
      form.emailRequired(state.settings.requireEmail !== false);
      const past = state.settings.deadline && new Date(state.settings.deadline).getTime() <= Date.now();
      state.closed = state.settings.open === false || state.settings.kiosk === false || Boolean(past);
      el('sign-closed').textContent = state.settings.kiosk === false
        ? 'The organisers have not switched this kiosk on.' : 'Signing is closed: no more signatures are taken.';
      show('sign-closed', state.closed);
      if (state.closed) show('sign-form', false);
      else if (el('sign-done').hidden) show('sign-form', true);
    },
  });
  el('sign-name').focus();
}

function fail(text) {
  el('message').textContent = text;
  show('message', true);
}
