// The live count of signatures: one GET of .../signatures/count, then the
// public bridge address manifesto.signatures.<id> (registered without a
// token), over the official bridge client with the editor's reconnect backoff.
// After every reconnect the count is read again, since pushes may have been
// missed while the socket was down.

import { Bus } from './connection.js';

export function countPath(doc) {
  return `/api/manifestos/${encodeURIComponent(doc)}/signatures/count`;
}

/**
 * @param {object} o
 * @param {string} o.doc
 * @param {(count: {confirmed: number, goal?: number, byCountry?: object}) => void} o.onCount
 * @param {(online: boolean) => void} [o.onState]
 * @returns {{stop: () => void, refresh: () => Promise<void>}}
 */
export function followCount({ doc, onCount, onState = () => {} }) {
  let last = null;
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
    } catch (e) {
      // offline: the bridge brings the next count
    }
  }

  const bus = new Bus({
    url: `${location.origin}/eventbus`,
    token: undefined, // the public address needs none
    onConnect: () => {
      bus.healthy();
      bus.register(`manifesto.signatures.${doc}`, take);
      onState(true);
      refresh();
    },
    onDisconnect: () => onState(false),
    onBridgeError: (err) => console.warn('live count:', err && err.message),
  });
  refresh();
  bus.connect();
  window.addEventListener('online', () => bus.reconnectNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') bus.reconnectNow();
  });
  return { stop: () => bus.stop(), refresh };
}
