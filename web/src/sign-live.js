// The live count of signatures: one GET of .../signatures/count, then the
// public bridge address manifesto.signatures.<id> (registered without a
// token), over the official bridge client with the editor's reconnect backoff.
// After every reconnect the count is read again, since pushes may have been
// missed while the socket was down. While neither the socket nor the GET
// answers, onState(false) says the count shown may be stale.

import { Bus } from './connection.js';
import { formatDate, formatRelative, t } from './i18n.js';

export function countPath(doc) {
  return `/api/manifestos/${encodeURIComponent(doc)}/signatures/count`;
}

/**
 * @param {object} o
 * @param {string} o.doc
 * @param {(count: {confirmed: number, goal?: number, byCountry?: object}) => void} o.onCount
 * @param {(online: boolean) => void} [o.onState] false when the count may be out of date, true once it is live again
 * @returns {{stop: () => void, refresh: () => Promise<void>}}
 */
export function followCount({ doc, onCount, onState = () => {} }) {
  let last = null;
  let online = null;
  const state = (now) => {
    if (now === online) return;
    online = now;
    onState(now);
  };
  const take = (c) => {
    if (!c || typeof c.confirmed !== 'number') return;
    // The push may leave out what did not change (goal): keep what we had.
    last = { ...(last || {}), ...c };
    onCount(last);
  };

  async function refresh() {
    try {
      const res = await fetch(countPath(doc), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (res.ok) take(await res.json());
      if (res.ok && bus.open) state(true); // read now, and pushes arrive again
    } catch (e) {
      state(false); // offline: the bridge brings the next count once it is back
    }
  }

  const bus = new Bus({
    url: `${location.origin}/eventbus`,
    token: undefined, // the public address needs none
    onConnect: () => {
      bus.healthy();
      bus.register(`manifesto.signatures.${doc}`, take);
      state(true);
      refresh();
    },
    onDisconnect: () => state(false),
    onBridgeError: (err) => console.warn('live count:', err && err.message),
  });
  refresh();
  bus.connect();
  window.addEventListener('offline', () => state(false));
  window.addEventListener('online', () => {
    bus.reconnectNow();
    refresh();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') bus.reconnectNow();
  });
  return { stop: () => bus.stop(), refresh };
}

/**
 * The count in words in the interface's language, with the goal if there is one.
 * @returns {{text: string, ratio: number|null}} ratio in [0, 1], null without a goal
 */
export function countText(confirmed, goal) {
  const n = Number(confirmed) || 0;
  if (!goal || goal <= 0) return { text: t('published.count', { n }), ratio: null };
  return { text: t('published.countGoal', { n, goal, share: n / goal }), ratio: Math.min(1, n / goal) };
}

/** "Signing closes on 1 May 2031, 18:00 (in 3 days)." or "Signing closed on ...", '' without a deadline. */
export function deadlineWords(iso, now = Date.now()) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const at = formatDate(d, { dateStyle: 'long', timeStyle: 'short' });
  const left = d.getTime() - now;
  if (left <= 0) return t('published.deadline.closed', { at });
  const hours = left / 3_600_000;
  const inWords = hours < 1 ? formatRelative(Math.max(1, Math.round(left / 60_000)), 'minute')
    : hours < 48 ? formatRelative(Math.round(hours), 'hour')
      : formatRelative(Math.round(hours / 24), 'day');
  return t('published.deadline.open', { at, left: inWords });
}
