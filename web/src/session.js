// What a page keeps about its editing session in sessionStorage (per tab, per
// document), so that a reload resumes the same clientId with the right seq and
// keeps work the server has not acknowledged yet:
//
//   { resume, clientId, nextSeq, pending?: { client: OTClient.toJSON(), text } }
//
// `pending.text` is the local text that goes with `pending.client`: the
// server text at client.revision with its outstanding op and buffer applied.
// Both are written in one go, so any stored value is consistent, however old.

const KEY = (doc) => `convene.session.${doc}`;

export function loadSession(doc) {
  try {
    const data = JSON.parse(sessionStorage.getItem(KEY(doc)) || 'null');
    if (data && typeof data === 'object') return data;
  } catch (e) { /* unreadable or storage disabled: start afresh */ }
  return {};
}

export function saveSession(doc, data) {
  try {
    sessionStorage.setItem(KEY(doc), JSON.stringify(data));
  } catch (e) { /* full or disabled: the session still works, a reload starts afresh */ }
}

// "Duplicate tab" copies sessionStorage, so two live pages could hold the same
// resume secret and clientId, and reuse each other's seq numbers. Before
// resuming, a page asks the others on a BroadcastChannel whether one of them
// is using that clientId; if so it starts a new session instead.

const channelName = (doc) => `convene.tabs.${doc}`;

/** Resolves true when no other live page claims clientId within waitMs. */
export function claimSession(doc, clientId, waitMs = 300) {
  if (!clientId || typeof BroadcastChannel === 'undefined') return Promise.resolve(true);
  return new Promise((resolve) => {
    const channel = new BroadcastChannel(channelName(doc));
    const done = (free) => { clearTimeout(timer); channel.close(); resolve(free); };
    const timer = setTimeout(() => done(true), waitMs);
    channel.onmessage = (e) => {
      if (e.data && e.data.type === 'held' && e.data.clientId === clientId) done(false);
    };
    channel.postMessage({ type: 'probe', clientId });
  });
}

/** Answer other pages' probes for the clientId this page uses. */
export function answerClaims(doc, currentClientId) {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(channelName(doc));
  channel.onmessage = (e) => {
    const id = currentClientId();
    if (e.data && e.data.type === 'probe' && id && e.data.clientId === id) {
      channel.postMessage({ type: 'held', clientId: id });
    }
  };
}
