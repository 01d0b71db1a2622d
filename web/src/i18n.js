// The interface's language. Every page is served already translated (build.mjs renders each page in
// each language, the server picks one: docs/i18n.md); its messages for scripts are in the page, as
// <script type="application/json" id="messages">, and formatted here with intl-messageformat (ICU
// MessageFormat, as ICU4J formats the same catalogs on the server).
//
// Two directions are kept apart: the interface's (<html lang dir>, set by the server) and the
// manifesto's own, which the pages put on the elements that hold its text (directionOf).

import { IntlMessageFormat } from 'intl-messageformat';

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'sd', 'ug', 'yi', 'dv', 'ku-Arab', 'syr']);

const state = { lang: 'en', messages: {}, languages: {}, formats: new Map() };

/** Keys asked for that the catalog does not hold (the tests read it: none may be missing). */
export const missing = [];
if (typeof globalThis !== 'undefined') globalThis.conveneMissingMessages = missing;

function readPage() {
  if (typeof document === 'undefined') return;
  state.lang = document.documentElement.lang || 'en';
  const data = document.getElementById('messages');
  if (!data) return;
  try {
    const parsed = JSON.parse(data.textContent);
    state.messages = parsed.messages || {};
    state.languages = parsed.languages || {};
  } catch (e) {
    // A page without its messages still works, in keys; the tests fail on it.
  }
}
readPage();

/** For node tests and pages built by hand: the language and its messages. */
export function useCatalog(lang, messages, languages = {}) {
  state.lang = lang;
  state.messages = messages;
  state.languages = languages;
  state.formats.clear();
  missing.length = 0;
}

/** The interface's language tag (en, ar, ...). */
export function lang() {
  return state.lang;
}

/** 'rtl' or 'ltr' for a BCP 47 tag: its script when it names one, else its language. */
export function directionOf(tag) {
  if (typeof tag !== 'string' || !tag) return 'ltr';
  if (/-(Arab|Hebr|Thaa|Syrc|Nkoo|Adlm|Rohg)\b/i.test(tag)) return 'rtl';
  if (/-(Latn|Cyrl|Hans|Hant|Deva)\b/i.test(tag)) return 'ltr';
  return RTL.has(tag.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr';
}

/** The interface's direction. */
export function dir() {
  return directionOf(state.lang);
}

/**
 * The message `key` formatted with `args` in the interface's language. A key the catalog lacks
 * gives the key itself (and is recorded in `missing`), never an exception.
 */
export function t(key, args) {
  let format = state.formats.get(key);
  if (!format) {
    const source = state.messages[key];
    if (typeof source !== 'string') {
      if (!missing.includes(key)) missing.push(key);
      return key;
    }
    format = new IntlMessageFormat(source, state.lang);
    state.formats.set(key, format);
  }
  try {
    return String(format.format(args));
  } catch (e) {
    if (!missing.includes(key)) missing.push(key);
    return state.messages[key];
  }
}

/** Whether the catalog holds `key` (for messages chosen by a server's code). */
export function has(key) {
  return typeof state.messages[key] === 'string';
}

/** A number in the interface's locale (digits as the language writes them). */
export function formatNumber(n, options) {
  return new Intl.NumberFormat(state.lang, options).format(n);
}

/** A fraction (0.25) as a percentage in the interface's locale. */
export function formatPercent(fraction, maximumFractionDigits = 0) {
  return new Intl.NumberFormat(state.lang, { style: 'percent', maximumFractionDigits }).format(fraction);
}

/** A date (Date, ISO string or epoch ms) in the interface's locale. */
export function formatDate(when, options = { dateStyle: 'medium', timeStyle: 'short' }) {
  const date = when instanceof Date ? when : new Date(when);
  return new Intl.DateTimeFormat(state.lang, options).format(date);
}

/** "3 minutes ago" and the like, in the interface's language. */
export function formatRelative(value, unit) {
  return new Intl.RelativeTimeFormat(state.lang, { numeric: 'auto' }).format(value, unit);
}

/** The languages the interface is offered in: [[tag, its own name]], as the page was built with. */
export function languages() {
  return Object.entries(state.languages);
}

/**
 * Chooses the interface's language: remembered in a cookie (the server reads it to serve the page
 * in that language; it carries no authority), then the page is loaded again, fragment and all.
 */
export function chooseLanguage(tag) {
  document.cookie = `lang=${encodeURIComponent(tag)}; Path=/; Max-Age=31536000; SameSite=Lax`;
  location.reload();
}

/**
 * Wires every language switch on the page: a <form class="language-switch"> with a <select
 * name="lang"> works without JavaScript (a GET with ?lang=, which the server remembers); with it,
 * a choice applies at once.
 */
export function mountLanguageSwitches(root = document) {
  // ?lang= has done its work (the server served that language and keeps it in the cookie): out of
  // the address, so that a switch, which reloads the page, is not overruled by it.
  const clean = withoutLanguageQuery(location.href);
  if (clean) history.replaceState(history.state, '', clean);
  for (const select of root.querySelectorAll('form.language-switch select[name="lang"]')) {
    const button = select.form.querySelector('button');
    if (button) button.hidden = true;
    select.addEventListener('change', () => chooseLanguage(select.value));
  }
}

/** The address without its ?lang= (the interface's language, once served), or null if it has none. */
export function withoutLanguageQuery(href) {
  const url = new URL(href);
  if (!url.searchParams.has('lang')) return null;
  url.searchParams.delete('lang');
  return url.href;
}

/**
 * Fills [data-i18n] and [data-i18n-attr] of elements added by scripts, as build.mjs does for the
 * page: data-i18n="key" sets the text, data-i18n-attr="aria-label:key;title:key2" attributes.
 */
export function translateTree(root) {
  const nodes = [root, ...root.querySelectorAll('[data-i18n], [data-i18n-attr]')];
  for (const node of nodes) {
    if (!node.getAttribute) continue;
    const key = node.getAttribute('data-i18n');
    if (key) node.textContent = t(key);
    const attrs = node.getAttribute('data-i18n-attr');
    if (attrs) {
      for (const pair of attrs.split(';')) {
        const [name, k] = pair.split(':').map((s) => s.trim());
        if (name && k) node.setAttribute(name, t(k));
      }
    }
  }
  return root;
}
