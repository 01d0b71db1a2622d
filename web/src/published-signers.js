// The public list of signers on /p/{id}: newest first, a page at a time, the first page reloaded
// (at most every few seconds) when the live count moves. Each person's words are isolated (bdi,
// dir=auto) so that names, cities and comments in any script keep their order beside ours.

import { el, show } from './dom.js';
import { formatDate, lang, t } from './i18n.js';
import { countryNamer } from './sign.js';

const PAGE_SIZE = 20;
const FIRST_PAGE = 0; // the API counts pages from 0
const LIST_REFRESH_MS = 5000; // a busy count reloads the first page of signers at most this often

/**
 * Shows the list of manifesto `doc` and wires its pager.
 * @returns {{counted: (confirmed: number) => void, refreshSoon: () => void}}
 */
export function followSigners(doc) {
  const state = { doc, page: FIRST_PAGE, listTimer: null, listAt: 0, lastConfirmed: undefined };
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
      return; // the list is a nicety beside the text and the form; the count says when it is offline
    }
    if (!Array.isArray(list)) return;
    if (list.length === 0 && page > FIRST_PAGE) {
      el('signers-older').disabled = true;
      return;
    }
    state.page = page;
    const countryName = countryNamer(lang());
    el('signers').replaceChildren(...list.map((s) => signer(s, countryName)));
    show('signers-empty', list.length === 0);
    el('signers-page').textContent = t('published.signers.page', { n: page - FIRST_PAGE + 1 });
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
    const city = s.city ? bdi(s.city) : null;
    const country = s.country ? bdi(countryName(s.country)) : null;
    if (city && country) meta.append(...nodes(t('published.signers.place', { city: SLOT[0], country: SLOT[1] }), [city, country]));
    else if (city || country) meta.append(city || country);
    if (s.signedAt) {
      const time = document.createElement('time');
      time.dateTime = s.signedAt;
      time.textContent = formatDate(s.signedAt);
      if (city || country) meta.append(' · ');
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

  el('signers-newer').addEventListener('click', () => loadSigners(state.page - 1));
  el('signers-older').addEventListener('click', () => loadSigners(state.page + 1));
  loadSigners(FIRST_PAGE);
  return {
    // New signatures show on the first page of the list; a later page stays as it is.
    counted(confirmed) {
      const moved = state.lastConfirmed !== undefined && confirmed !== state.lastConfirmed;
      if (state.page === FIRST_PAGE && moved) scheduleListRefresh();
      state.lastConfirmed = confirmed;
    },
    refreshSoon: scheduleListRefresh,
  };
}

export function bdi(text, dir = '') {
  const b = document.createElement('bdi');
  if (dir) b.dir = dir;
  b.textContent = text;
  return b;
}

// Stand-ins for elements in a message: formatted in, then replaced by the elements themselves.
export const SLOT = ['\uE000', '\uE001'];

/** A message formatted with SLOT[i] for arguments, as text and the elements in their places. */
export function nodes(message, elements) {
  return message.split(/([\uE000\uE001])/).filter(Boolean).map((part) => {
    const i = SLOT.indexOf(part);
    return i >= 0 ? elements[i] : part;
  });
}
