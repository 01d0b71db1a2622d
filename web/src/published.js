// The public page /p/{id}: the version an organiser published last (not the
// live draft), with its number, date and SHA-256, readable without any token;
// in the reader's choice of the languages it is published in; its PDFs and a
// Share button; the sign form, the live count with progress to the goal, the
// count by country and the public list of signers.
//
// Two directions: the interface's is the page's (<html lang dir>, served);
// the text's own language and direction are set on the elements holding it.

import { el, show } from './dom.js';
import { directionOf, formatDate, formatNumber, formatPercent, lang, mountLanguageSwitches, t } from './i18n.js';
import { mountSignForm } from './sign-form.js';
import { countText, deadlineWords, followCount } from './sign-live.js';
import { answerText, countryRows } from './sign.js';
import { autonym, chooseTextLanguage, cleanTag, editionLinks } from './published-editions.js';
import { SLOT, bdi, followSigners, nodes } from './published-signers.js';

// U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE: people's text inside a sentence of ours.
const isolate = (s) => `\u2068${s}\u2069`;
const match = /^\/p\/([^/]+)\/?$/.exec(location.pathname);
const state = {
  doc: null, version: null, original: 'en', shown: 'en', translations: [], settings: {},
  confirmed: 0, signers: null,
};

mountLanguageSwitches();
if (match) load(decodeURIComponent(match[1]));
else unavailable('unknown');

async function load(id) {
  state.doc = id;
  const base = `/api/manifestos/${encodeURIComponent(id)}`;
  const form = mountSignForm({
    form: el('sign-form'),
    doc: id,
    requireEmail: () => state.settings.requireEmail !== false,
    language: () => state.shown, // the language of the text the signer read
    onDone: signed,
  });
  el('sign-again').addEventListener('click', () => {
    form.reset();
    show('sign-done', false);
    show('sign-form', true);
    el('sign-name').focus();
  });
  el('share').addEventListener('click', share);
  el('text-language').addEventListener('change', () => showLanguage(el('text-language').value, true));
  const settings = loadSettings(base);
  let v;
  try {
    v = await get(`${base}/published`);
  } catch (e) {
    // Not published, or no manifesto at all: the public settings exist exactly when the manifesto does.
    if (e.status === 404) unavailable((await settings) === null ? 'unknown' : 'unpublished');
    else unavailable(e.status ? 'error' : 'offline');
    return;
  }
  state.settings = (await settings) || {};
  state.version = v;
  state.original = cleanTag(v.language) || 'en';
  showVersion(v);
  await loadTranslations(base, v.number);
  const asked = cleanTag(new URLSearchParams(location.search).get('text'));
  await showLanguage(chooseTextLanguage(state.original, state.translations.map((x) => x.language), lang(), asked), false);
  showOpen();
  followCount({
    doc: id,
    onCount: (c) => showCount(c, form),
    onState: (online) => {
      el('sign-stale').textContent = online ? '' : t('published.stale');
      show('sign-stale', !online);
    },
  });
  state.signers = followSigners(id);
}

/** A GET of the API; throws an Error with the status (none when the network failed), never the server's words. */
async function get(path) {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const body = res.ok ? await res.json().catch(() => undefined) : undefined;
  if (body === undefined) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.ok ? 502 : res.status });
  return body;
}

/** {requireEmail, goal, deadline, open, accepting, kiosk}, null when there is no such manifesto. */
async function loadSettings(base) {
  try {
    return await get(`${base}/signing`);
  } catch (e) {
    return e.status === 404 ? null : {}; // else the defaults: signing itself says otherwise if need be
  }
}

/** No manifesto to show: why, in words, with what can be done. */
function unavailable(why) {
  const words = {
    unknown: [t('published.unknown.title'), t('published.unknown.body')],
    unpublished: [t('published.unpublished.title'), t('published.unpublished.body')],
    error: [t('published.error.title'), t('common.serverError')],
    offline: [t('published.error.title'), t('published.offline.body')],
  }[why];
  document.title = t('published.docTitle', { title: words[0] });
  el('state-title').textContent = words[0];
  el('state-body').textContent = words[1];
  show('state-home', why === 'unknown');
  show('state-retry', why === 'error' || why === 'offline');
  el('state-retry').onclick = () => location.reload();
  if (why === 'offline') window.addEventListener('online', () => location.reload(), { once: true });
  show('published-layout', false);
  show('state', true);
}

function showVersion(v) {
  document.title = t('published.docTitle', { title: isolate(v.title) });
  const title = el('title');
  title.textContent = v.title;
  title.lang = state.original;
  title.dir = directionOf(state.original);
  const args = { n: v.number, name: isolate(v.name), saved: formatDate(v.createdAt) };
  el('meta').textContent = v.publishedAt
    ? t('published.metaPublished', { ...args, published: formatDate(v.publishedAt) }) : t('published.meta', args);
  el('credits').replaceChildren(...v.contributors.map((c) => {
    const li = document.createElement('li');
    const name = document.createElement('bdi');
    name.textContent = c.initial ? t('published.credit.initial') : c.name;
    if (c.initial) name.className = 'initial-credit';
    li.append(name, ' ', t('published.credit.share', { share: c.share }));
    return li;
  }));
  show('manifesto', true);
}

// ---- the text's language --------------------------------------------------------------

/** The languages published for version n: [{language, name, dir}]; none if they cannot be read. */
async function loadTranslations(base, n) {
  try {
    const list = await get(`${base}/translations/published?version=${encodeURIComponent(n)}`);
    state.translations = Array.isArray(list) ? list.filter((x) => cleanTag(x.language) && x.language !== state.original) : [];
  } catch (e) {
    state.translations = [];
  }
  const select = el('text-language');
  const option = (tag, name) => {
    const o = document.createElement('option');
    o.value = tag;
    o.lang = tag;
    o.dir = textDir(tag);
    o.textContent = name;
    return o;
  };
  select.replaceChildren(option(state.original, t('published.originalLanguage', { name: isolate(autonym(state.original)) })),
    ...state.translations.map((x) => option(x.language, typeof x.name === 'string' && x.name ? x.name : autonym(x.language))));
  // Only the interface's own text around: the original's option mixes both, so it is marked neither.
  select.firstChild.removeAttribute('lang');
  select.firstChild.removeAttribute('dir');
  show('text-language-box', state.translations.length > 0);
}

/** The direction of a text language: the API's word for a translation (from the script ICU expects), else ours. */
function textDir(tag) {
  const published = state.translations.find((x) => x.language === tag);
  return published && (published.dir === 'rtl' || published.dir === 'ltr') ? published.dir : directionOf(tag);
}

/** Shows the text in `tag` (the original, or a translation read from the API), with its lang and dir. */
async function showLanguage(tag, chosen) {
  const v = state.version;
  let text = v.text;
  let sha = v.sha256;
  let note = '';
  show('translation-error', false);
  if (tag !== state.original) {
    try {
      const tr = await get(`/api/manifestos/${encodeURIComponent(state.doc)}/translations/${encodeURIComponent(tag)}/published?version=${encodeURIComponent(v.number)}`);
      text = tr.text;
      sha = tr.sha256;
      note = t('published.translationNote', { date: formatDate(tr.publishedAt, { dateStyle: 'long' }), name: isolate(autonym(state.original)) });
    } catch (e) {
      el('translation-error').textContent = t('published.translationError');
      show('translation-error', true);
      tag = state.original;
    }
  }
  state.shown = tag;
  el('text-language').value = tag;
  const box = el('text');
  box.textContent = text;
  box.lang = tag;
  box.dir = textDir(tag);
  el('translation-note').textContent = note;
  show('translation-note', Boolean(note));
  el('sha256').textContent = sha;
  showEditions();
  if (chosen) {
    // The choice is in the address, so a shared link opens in the same language.
    const url = new URL(location.href);
    if (tag === chooseTextLanguage(state.original, state.translations.map((x) => x.language), lang())) url.searchParams.delete('text');
    else url.searchParams.set('text', tag);
    history.replaceState(null, '', url);
  }
}

function showEditions() {
  const links = editionLinks(state.doc, state.version.number, state.shown, state.original);
  el('pdf-reading').href = links.reading;
  el('pdf-print').href = links.a4;
  el('pdf-letter').href = links.letter;
  el('pdf-signers').href = links.signers;
  el('pdf-bilingual').href = links.bilingual || '#';
  el('pdf-bilingual').textContent = t('published.pdf.bilingual', { name: isolate(autonym(state.original)) });
  show('pdf-bilingual-item', Boolean(links.bilingual));
  // The appendix lists confirmed signers only: offered once there are some.
  show('pdf-signers-item', state.confirmed > 0);
}

// ---- the count ---------------------------------------------------------------------

function showCount(c, form) {
  if ('goal' in c) state.settings.goal = c.goal;
  const { text, ratio } = countText(c.confirmed, state.settings.goal);
  el('sign-count').textContent = text;
  el('sign-count').dataset.confirmed = String(c.confirmed);
  const meter = el('sign-meter');
  meter.hidden = ratio === null;
  if (ratio !== null) {
    meter.value = ratio;
    meter.setAttribute('aria-valuetext', formatPercent(ratio));
  }
  const deadline = deadlineWords(state.settings.deadline);
  el('sign-deadline').textContent = deadline;
  show('sign-deadline', Boolean(deadline));
  show('sign-progress', true);
  form.emailRequired(state.settings.requireEmail !== false);
  showOpen();
  state.confirmed = c.confirmed;
  show('pdf-signers-item', c.confirmed > 0);
  showCountries(c.byCountry);
  if (state.signers) state.signers.counted(c.confirmed);
}

/** The form while signing is open; otherwise why not. */
function showOpen() {
  const past = state.settings.deadline && new Date(state.settings.deadline).getTime() <= Date.now();
  const closed = state.settings.accepting === false || state.settings.open === false || Boolean(past);
  el('sign-closed').textContent = closed ? t('published.closed') : '';
  show('sign-closed', closed);
  show('sign-form', !closed && el('sign-done').hidden);
}

function showCountries(byCountry) {
  const rows = countryRows(byCountry, lang());
  el('countries').replaceChildren(...rows.map(([code, name, n]) => {
    const tr = document.createElement('tr');
    tr.dataset.country = code;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = name;
    const td = document.createElement('td');
    td.textContent = formatNumber(n);
    tr.append(th, td);
    return tr;
  }));
  show('countries-section', rows.length > 0);
}

// ---- signing -----------------------------------------------------------------------

function signed(status, body) {
  if (status === 'confirmed' && state.signers) state.signers.refreshSoon();
  el('sign-done-text').textContent = answerText(status, body.email);
  show('sign-form', false);
  show('sign-done', true);
  el('sign-done').focus();
}

// ---- sharing -------------------------------------------------------------------------

async function share() {
  const url = `${location.origin}/p/${encodeURIComponent(state.doc)}`;
  const status = el('share-status');
  if (navigator.share) {
    try {
      await navigator.share({ title: state.version ? state.version.title : document.title, url });
      return;
    } catch (e) {
      if (e && e.name === 'AbortError') return; // the reader changed their mind
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    status.textContent = t('published.share.copied');
  } catch (e) {
    // No clipboard (an old browser, a page not in focus): the link to copy by hand.
    status.replaceChildren(...nodes(t('published.share.manual', { url: SLOT[0] }), [bdi(url, 'ltr')]));
  }
}
