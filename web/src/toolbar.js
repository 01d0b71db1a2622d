// The editor page's toolbar: the connection status in words, and the people list.
//
// Only two changes are announced to screen readers: going offline after having been live, and
// coming back after that. Not the first connection (nothing came back: it was never gone), and not
// every keystroke's Sending/Saved, which the status shows for whoever looks.

import { t } from './i18n.js';

/**
 * @param {{box: HTMLElement, announce: HTMLElement}} o  the status element and a polite live region
 * @returns {(state: string, page: {everOpened: boolean, canEdit: boolean}) => void} for every change of
 *   LiveDocument's state ('saved' | 'sending' | 'offline')
 */
export function statusShower({ box, announce }) {
  let last = null;
  let calls = 0;
  let wentOffline = false;
  return (state, { everOpened, canEdit }) => {
    calls++;
    if (state === last && everOpened) return;
    box.dataset.state = state;
    if (state === 'saved') box.textContent = canEdit ? t('editor.status.saved') : t('editor.status.upToDate');
    else if (state === 'sending') box.textContent = t('editor.status.sending');
    // Before the first open, every call after the first comes from a failed attempt.
    else if (!everOpened) box.textContent = calls > 1 ? t('editor.status.unreachable') : t('editor.status.connecting');
    else box.textContent = canEdit ? t('editor.status.offline') : t('editor.status.offlineReader');
    if (state === 'offline' && everOpened && !wentOffline) {
      wentOffline = true;
      announce.textContent = box.textContent;
    } else if (state !== 'offline' && wentOffline) {
      wentOffline = false;
      announce.textContent = t('editor.status.backOnline');
    }
    last = state;
  };
}

/** The people list: each name isolated (<bdi>), with its colour; one's own marked. */
export function renderPeople(list, count, people, selfId) {
  const items = [];
  for (const [id, p] of people) {
    const li = document.createElement('li');
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.style.backgroundColor = p.color;
    const name = document.createElement('bdi');
    name.textContent = p.name; // never HTML
    li.append(dot, name);
    if (id === selfId) {
      const you = document.createElement('span');
      you.textContent = t('editor.people.you');
      li.append(' ', you);
    }
    items.push(li);
  }
  list.replaceChildren(...items);
  count.textContent = t('editor.people.count', { n: people.size });
}
