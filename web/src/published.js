// The public page /p/{id}: the version an organiser published last (not the
// live draft), with its number, date and SHA-256, readable without any token;
// its PDFs and a link to share; the sign form, the live count with progress to
// the goal, the count by country and the public list of signers.

import { el, show } from './dom.js';
import { authorLabel, call, when } from './versions.js';
import { mountSignForm } from './sign-form.js';
import { followCount } from './sign-live.js';
import { answerText, countryNamer, countryRows, deadlineText, formatCount, progress } from './sign.js';

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'sd', 'ug', 'yi', 'dv', 'syr', 'prs']);
const PAGE_SIZE = 20;
const FIRST_PAGE = 0; // the API counts pages from 0
const LIST_REFRESH_MS = 5000; // a busy count reloads the first page of signers at most this often
const match = /^\/p\/([^/]+)\/?$/.exec(location.pathname);
const pageLanguage = document.documentElement.lang || 'en';
const state = { doc: null, language: '', settings: {}, page: FIRST_PAGE, listTimer: null, listAt: 0 };

if (match) load(decodeURIComponent(match[1]));
else fail('This address does not name a manifesto.');

async function load(id) {
  state.doc = id;
  const base = `/api/manifestos/${encodeURIComponent(id)}`;
  el('pdf-print').href = `${base}/pdf?edition=print`;
  el('pdf-reading').href = `${base}/pdf?edition=reading`;
  el('pdf-signers').href = `${base}/pdf?edition=print&with=signatures`;
  el('share').addEventListener('click', share);
  const form = mountSignForm({
    form: el('sign-form'),
    doc: id,
    requireEmail: () => state.settings.requireEmail !== false,
    language: () => state.language,
    onDone: signed,
  });
  el('sign-again').addEventListener('click', () => {
    form.reset();
    show('sign-done', false);
    show('sign-form', true);
    el('sign-name').focus();
  });
  let v;
  try {
    v = await call(`${base}/published`);
  } catch (e) {
    fail(e.status === 404 ? 'Nothing has been published here yet.' : `The manifesto could not be loaded: ${e.message}`);
    show('signing', false);
    return;
  }
  showVersion(v);
  await loadSettings(base);
  showOpen();
  followCount({ doc: id, onCount: (c) => showCount(c, form) });
  el('signers-newer').addEventListener('click', () => loadSigners(state.page - 1));
  el('signers-older').addEventListener('click', () => loadSigners(state.page + 1));
  loadSigners(FIRST_PAGE);
}

function showVersion(v) {
  document.title = `${v.title} · Convene`;
  el('title').textContent = v.title;
  const published = v.publishedAt ? `, published ${when(v.publishedAt)}` : '';
  el('meta').textContent = `Version ${v.number} (“${v.name}”), saved ${when(v.createdAt)}${published}`;
  const text = el('text');
  text.textContent = v.text;
  if (typeof v.language === 'string' && /^[A-Za-z0-9-]{1,35}$/.test(v.language)) {
    state.language = v.language;
    text.lang = v.language;
    el('title').lang = v.language;
    // The page reads in the text's direction; labels stay in the page's language until they are translated.
    const primary = v.language.split('-')[0].toLowerCase();
    if (RTL_LANGUAGES.has(primary) || /-Arab$/i.test(v.language)) document.documentElement.dir = 'rtl';
  }
  el('sha256').textContent = v.sha256;
  el('credits').replaceChildren(...v.contributors.map((c) => {
    const li = document.createElement('li');
    li.append(authorLabel(c.initial ? '' : c.name, ` (${Math.round(c.share * 100)}%)`));
    return li;
  }));
  show('manifesto', true);
}

// ---- the count ---------------------------------------------------------------------

/** {requireEmail, goal, deadline, open, accepting, kiosk}: public (GET .../signing). */
async function loadSettings(base) {
  try {
    state.settings = await call(`${base}/signing`);
  } catch (e) {
    state.settings = {}; // then the defaults: email required, open; signing itself says otherwise if not
  }
}

function showCount(c, form) {
  if ('goal' in c) state.settings.goal = c.goal;
  const { text, ratio } = progress(c.confirmed, state.settings.goal, pageLanguage);
  el('sign-count').textContent = text;
  el('sign-count').dataset.confirmed = String(c.confirmed);
  const meter = el('sign-meter');
  meter.hidden = ratio === null;
  if (ratio !== null) meter.value = ratio;
  const deadline = deadlineText(state.settings.deadline, Date.now(), pageLanguage);
  el('sign-deadline').textContent = deadline;
  show('sign-deadline', Boolean(deadline));
  show('sign-progress', true);
  form.emailRequired(state.settings.requireEmail !== false);
  showOpen();
  // The appendix lists confirmed signers only: offered once there are some.
  show('pdf-signers', c.confirmed > 0);
  showCountries(c.byCountry);
  // New signatures show on the first page of the list; a later page stays as it is.
  const moved = state.lastConfirmed !== undefined && c.confirmed !== state.lastConfirmed;
  if (state.page === FIRST_PAGE && moved) scheduleListRefresh();
  state.lastConfirmed = c.confirmed;
}

/** The form while signing is open; otherwise why not. */
function showOpen() {
  const past = state.settings.deadline && new Date(state.settings.deadline).getTime() <= Date.now();
  const closed = state.settings.accepting === false || state.settings.open === false || Boolean(past);
  el('sign-closed').textContent = closed ? 'Signing is closed: no more signatures are taken.' : '';
  show('sign-closed', closed);
  show('sign-form', !closed && el('sign-done').hidden);
}

function showCountries(byCountry) {
  const rows = countryRows(byCountry, pageLanguage);
  el('countries').replaceChildren(...rows.map(([code, name, n]) => {
    const tr = document.createElement('tr');
    tr.dataset.country = code;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    const td = document.createElement('td');
    td.textContent = formatCount(n, pageLanguage);
    tr.append(th, td);
    return tr;
  }));
  show('countries-section', rows.length > 0);
}

// ---- signing -----------------------------------------------------------------------

function signed(status, body) {
  if (status === 'confirmed') scheduleListRefresh();
  el('sign-done-text').textContent = answerText(status, body.email);
  show('sign-form', false);
  show('sign-done', true);
  el('sign-done').focus();
}

// ---- the list of signers -------------------------------------------------------------

function scheduleListRefresh() {
  if (state.listTimer) return;
  const wait = Math.max(0, state.listAt + LIST_REFRESH_MS - Date.now());
  state.listTimer = setTimeout(() => {
    state.listTimer = null;
    if (state.page === FIRST_PAGE) loadSigners(FIRST_PAGE, true);
  }, wait);
}

/** @param {boolean} [fresh] the count moved: past the browser's cache (the list may be cached 5 s) */
async function loadSigners(page, fresh = false) {
  if (page < FIRST_PAGE) return;
  state.listAt = Date.now();
  let list;
  try {
    const res = await fetch(`/api/manifestos/${encodeURIComponent(state.doc)}/signatures?page=${page}&size=${PAGE_SIZE}`, {
      headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: fresh ? 'no-cache' : 'default',
    });
    if (!res.ok) return;
    list = await res.json();
  } catch (e) {
    return; // the list is a nicety beside the text and the form
  }
  if (!Array.isArray(list)) return;
  if (list.length === 0 && page > FIRST_PAGE) {
    el('signers-older').disabled = true;
    return;
  }
  state.page = page;
  const countryName = countryNamer(pageLanguage);
  el('signers').replaceChildren(...list.map((s) => signer(s, countryName)));
  show('signers-empty', list.length === 0);
  el('signers-page').textContent = `Page ${page - FIRST_PAGE + 1}`;
  el('signers-newer').disabled = page === FIRST_PAGE;
  el('signers-older').disabled = list.length < PAGE_SIZE;
  show('signers-section', true);
}

function signer(s, countryName) {
  const li = document.createElement('li');
  const name = document.createElement('p');
  name.className = 'signer-name';
  name.dir = 'auto';
  name.textContent = s.displayName;
  const meta = document.createElement('p');
  meta.className = 'hint';
  // Each piece isolated, so an Arabic city beside an English country name keeps its place.
  const pieces = [s.city, s.country ? countryName(s.country) : ''].filter(Boolean).map((text) => {
    const bdi = document.createElement('bdi');
    bdi.textContent = text;
    return bdi;
  });
  pieces.forEach((bdi, i) => meta.append(...(i ? [', ', bdi] : [bdi])));
  if (s.signedAt) {
    const time = document.createElement('time');
    time.dateTime = s.signedAt;
    time.textContent = when(s.signedAt, pageLanguage);
    if (pieces.length) meta.append(' · ');
    meta.append(time);
  }
  li.append(name, meta);
  if (s.comment) {
    const comment = document.createElement('blockquote');
    comment.dir = 'auto';
    comment.textContent = s.comment;
    li.append(comment);
  }
  return li;
}

// ---- sharing -------------------------------------------------------------------------

async function share() {
  const url = `${location.origin}/p/${encodeURIComponent(state.doc)}`;
  try {
    await navigator.clipboard.writeText(url);
    el('share-status').textContent = 'Link copied.';
  } catch (e) {
    // No clipboard (an old browser, a page not in focus): show the link to copy by hand.
    el('share-status').textContent = url;
  }
}

function fail(text) {
  el('message').textContent = text;
  show('message', true);
}
