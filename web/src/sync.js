// Keeps one document in step with the server over the live-editing protocol.
// It knows the wire contract, not CodeMirror or the page: the editor and the
// page are reached through two small interfaces (see the constructor).
//
// On every (re)connect: manifesto.open (with `resume` when we have one),
// register manifesto.doc.<doc> and manifesto.presence.<doc>, catch up with
// manifesto.history from the last revision we know, and only then send: the
// outstanding op first, with the seq it was first sent with.

import { OTClient } from './otclient.js';
import { backoffDelay } from './backoff.js';
import { safeColor } from './dom.js';
import { t } from './i18n.js';

const HISTORY_PAGE = 10000; // the server sends at most this many ops per history reply
const PRESENCE_INTERVAL_MS = 200; // at most 5 presence messages a second
const PROBE_INTERVAL_MS = 30000; // ask for missed ops now and then: also finds dead sockets
const MAX_RESYNCS_PER_MINUTE = 3;

export class LiveDocument {
  /**
   * @param {object} o
   * @param {string} o.doc
   * @param {string} o.name         display name sent with manifesto.open
   * @param {boolean} o.viewOnly    the page is a /view page: never editable
   * @param {object} o.session      from session.js; kept up to date in place
   * @param {(session: object) => void} o.saveSession
   * @param {(handlers: {onConnect, onDisconnect}) => Bus} o.createBus
   * @param {object} o.editor  text(), apply(op), replace(text), selection(),
   *        setEditable(yes), showRemote(clientId, person, ranges), hideRemote(clientId), remoteIds(),
   *        and optionally confirmed(op, message): every operation the server committed, in
   *        revision order, just before the editor gets it (see OTClient's serverOperation)
   * @param {object} o.ui      status(state), role(role), people(Map, selfId), message(text), fatal(text),
   *        nameRefused(why)? (the server refused the name). Texts are in the interface's language; the
   *        server's own words (English, technical) go to the console, never onto the page.
   */
  constructor({ doc, name, viewOnly, session, saveSession, createBus, editor, ui }) {
    Object.assign(this, { doc, name, viewOnly, session, saveSession, editor, ui });
    this.client = null; // OTClient; null until opened, and while starting afresh
    this.role = null;
    this.ready = false; // opened, registered and caught up on the current socket
    this.everOpened = false;
    this.stopped = false;
    this.gen = 0; // bumps on every connect/disconnect: stale continuations stop
    this.inFlightSeq = null; // seq of the manifesto.edit awaiting its reply
    this.retryTimer = null; // a 503/429 retry is scheduled
    this.editRetries = 0;
    this.persistTimer = null;
    this.presenceTimer = null;
    this.lastPresenceAt = 0;
    this.resyncs = [];
    this.history = null; // the running catch-up, if any
    this.historyGen = 0; // the socket generation it runs on
    this.historyAgain = false;
    this.people = new Map(); // clientId -> {name, color}
    this.bus = createBus({ onConnect: () => this.open(), onDisconnect: () => this.disconnected() });
    this.probeTimer = setInterval(() => this.probe(), PROBE_INTERVAL_MS);
  }

  /** 'saved' | 'sending' | 'offline', as shown in the toolbar and to tests. */
  get state() {
    if (!this.ready || !this.client) return 'offline';
    return this.client.state === 'synchronized' ? 'saved' : 'sending';
  }

  get canEdit() {
    return (this.role === 'editor' || this.role === 'admin') && !this.viewOnly;
  }

  changed() {
    if (!this.stopped) this.ui.status(this.state);
  }

  // ---- connection ----------------------------------------------------------

  disconnected() {
    this.gen++;
    this.ready = false;
    this.inFlightSeq = null;
    this.changed();
  }

  async open() {
    const gen = ++this.gen;
    this.ready = false;
    const body = { doc: this.doc, name: this.name };
    if (this.session.resume) body.resume = this.session.resume;
    let reply;
    try {
      reply = await this.bus.request('manifesto.open', body, 20000);
    } catch (e) {
      if (gen !== this.gen) return;
      if (body.resume && (e.failureCode === 400 || e.failureCode === 403)) {
        this.session.resume = null; // the server no longer knows our session
        this.open();
        return;
      }
      if (e.failureCode === 400) { // a body the server will never take: retrying cannot help
        console.warn('manifesto.open refused:', e.message);
        const name = /^name: /.test(e.message || '') && this.ui.nameRefused;
        this.fatal(name ? e.message.slice(6) : t('editor.error.cannotOpen'), name || undefined);
        return;
      }
      if (e.failureCode === 401 || e.failureCode === 403 || e.failureCode === 404) {
        this.fatal(e.failureCode === 404 ? t('editor.error.gone') : t('editor.error.invalidLink'));
        return;
      }
      this.bus.drop(); // timeout, 429, 503, ...: try again after a pause
      return;
    }
    if (gen !== this.gen) return;
    this.adopt(reply);
    this.bus.register(`manifesto.doc.${this.doc}`, (m) => this.onDocMessage(m));
    this.bus.register(`manifesto.presence.${this.doc}`, (m) => this.onPresence(m));
    try {
      await this.catchUp();
    } catch (e) {
      if (gen === this.gen) this.bus.drop();
      return;
    }
    if (gen !== this.gen || !this.client) return;
    this.ready = true;
    this.everOpened = true;
    this.bus.healthy();
    this.changed();
    this.sendOutstanding();
    this.sendPresence();
  }

  /** Take in a manifesto.open reply: identity, role, text (when new), people. */
  adopt(reply) {
    this.role = reply.role;
    this.session.resume = reply.resume;
    this.ui.role(this.role);
    if (this.client && reply.revision < this.client.revision) {
      // Fewer revisions than we have seen (restored from a backup?): our copy
      // cannot be reconciled with the server's.
      this.ui.message(t('editor.error.reloaded', { reason: t('editor.error.serverOlder') }));
      this.client = null;
    }
    if (!this.client) {
      const callbacks = {
        applyOperation: (op) => this.editor.apply(op),
        sendOperation: () => { this.persistNow(); this.sendOutstanding(); },
        serverOperation: (op, m) => { if (this.editor.confirmed) this.editor.confirmed(op, m); },
      };
      const { pending } = this.session;
      if (pending && pending.client && pending.client.revision <= reply.revision) {
        // A reload with unacknowledged work: the editor shows pending.text and
        // history since pending.client.revision brings it up to date.
        this.client = OTClient.fromJSON(pending.client, callbacks);
      } else {
        const sameId = this.session.clientId === reply.clientId && this.session.nextSeq > 0;
        this.client = new OTClient({
          clientId: reply.clientId, revision: reply.revision, nextSeq: sameId ? this.session.nextSeq : 1, ...callbacks,
        });
        this.editor.replace(reply.text);
      }
    }
    this.client.rebind(reply.clientId); // resume refused: a new clientId, a new seq space
    this.persistNow();
    this.editor.setEditable(this.canEdit);

    this.people.clear();
    for (const p of reply.participants || []) {
      if (p && typeof p.clientId === 'string') this.people.set(p.clientId, this.person(p));
    }
    const self = this.client.clientId;
    if (!this.people.has(self)) this.people.set(self, { name: this.name, color: safeColor(null, self) });
    for (const id of this.editor.remoteIds()) if (!this.people.has(id)) this.editor.hideRemote(id);
    this.ui.people(this.people, self);
  }

  /** A new name: open again (with resume) so that the others see it. */
  rename(name) {
    this.name = name;
    const self = this.client && this.people.get(this.client.clientId);
    if (self) self.name = name;
    this.ui.people(this.people, this.client && this.client.clientId);
    this.bus.drop();
  }

  // ---- operations -------------------------------------------------------------

  /** A change the user made, already in the editor. */
  localChange(op) {
    if (!this.client) return;
    this.client.applyClient(op);
    this.persistSoon();
    this.changed();
  }

  onDocMessage(body) {
    if (body) this.feed(Array.isArray(body.ops) ? body.ops : [body]);
  }

  /** Give published or historical ops to the client; true while a hole remains. */
  feed(messages) {
    if (!this.client) return false;
    let gap;
    try {
      gap = this.client.receive(messages);
    } catch (e) {
      console.error(e); // a Divergence: our text is no longer the server's
      this.resync(t('editor.error.outOfStep'));
      return false;
    }
    if (gap) this.catchUp().catch(() => {});
    this.persistSoon();
    this.changed();
    return gap;
  }

  /** Fetch what we missed, page by page; one run at a time. */
  catchUp() {
    // A run started on an earlier socket is failing with it; do not wait for it.
    if (this.history && this.historyGen === this.gen) {
      this.historyAgain = true;
      return this.history;
    }
    this.historyGen = this.gen;
    const run = (async () => {
      try {
        do {
          this.historyAgain = false;
          for (let page = 0; this.client && page < 100; page++) {
            const from = this.client.revision;
            const reply = await this.bus.request('manifesto.history', { doc: this.doc, from });
            const ops = reply && Array.isArray(reply.ops) ? reply.ops : [];
            const gap = this.feed(ops);
            if (!this.client || this.client.revision === from) break; // nothing newer on the server
            if (!gap && ops.length < HISTORY_PAGE) break;
          }
        } while (this.historyAgain && this.client);
      } catch (e) {
        // 409: we hold a revision the server does not have (its history was restored from an older copy).
        if (e.failureCode === 409) this.resync(t('editor.error.serverOlder'));
        throw e;
      } finally {
        if (this.history === run) this.history = null;
      }
    })();
    this.history = run;
    return run;
  }

  probe() {
    if (!this.ready || (typeof document !== 'undefined' && document.visibilityState !== 'visible')) return;
    this.catchUp().catch((e) => { if (e.failureCode === 0 && e.message === 'timeout') this.bus.drop(); });
  }

  sendOutstanding() {
    if (!this.ready || !this.client || this.retryTimer) return;
    const sub = this.client.submission();
    if (!sub || this.inFlightSeq === sub.seq) return;
    this.inFlightSeq = sub.seq;
    const gen = this.gen;
    const body = { doc: this.doc, clientId: sub.clientId, seq: sub.seq, revision: sub.revision, op: sub.op };
    // The selection describes the text after the op only if nothing was typed since.
    if (this.client.buffer === null) body.selection = this.editor.selection();
    this.bus.request('manifesto.edit', body).then((reply) => {
      if (this.inFlightSeq === sub.seq) this.inFlightSeq = null;
      this.editRetries = 0;
      // The reply follows the op's publication on manifesto.doc.<doc>; if the
      // op has still not come a little later, it was missed: fetch history.
      const r = reply && reply.revision;
      if (Number.isInteger(r) && this.client && this.client.revision < r) {
        setTimeout(() => {
          if (this.ready && this.client && this.client.revision < r) this.catchUp().catch(() => {});
        }, 1500);
      }
      this.sendOutstanding();
    }, (e) => {
      if (this.inFlightSeq === sub.seq) this.inFlightSeq = null;
      if (gen === this.gen) this.onEditError(e); // else: resent after the reconnect
    });
  }

  onEditError(e) {
    switch (e.failureCode) {
      case 0:
        if (e.message === 'timeout') this.bus.drop(); // a silent socket: reconnect and resend
        return;
      case -1: // the bridge's own: no handler or no reply in time (a server restarting)
      case 429:
      case 500:
      case 503: // not applied, or not known to be: sending the same seq again is safe (exactly once)
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.sendOutstanding();
        }, backoffDelay(this.editRetries++, 1000));
        return;
      case 401:
        this.fatal(t('editor.error.invalidLink'));
        return;
      case 404:
        this.fatal(t('editor.error.gone'));
        return;
      case 413: // the server will not take this edit
        console.warn('manifesto.edit refused:', e.message);
        this.resync(t('editor.error.tooLarge'));
        return;
      default: // 400, 403, 409
        console.warn('manifesto.edit refused:', e.failureCode, e.message);
        this.resync(t('editor.error.notSaved'));
    }
  }

  /** Drop our unsaved state and start a new session from the server's text; reason says why, in words. */
  resync(reason) {
    const now = Date.now();
    this.resyncs = this.resyncs.filter((at) => now - at < 60000).concat(now);
    if (this.resyncs.length > MAX_RESYNCS_PER_MINUTE) {
      this.fatal(t('editor.error.reloadPage', { reason }));
      return;
    }
    this.ui.message(t('editor.error.reloaded', { reason }));
    this.client = null;
    for (const key of Object.keys(this.session)) delete this.session[key];
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.persistNow();
    this.editor.setEditable(false);
    this.bus.drop(); // reconnects and opens without resume: a new clientId
  }

  fatal(text, tell = this.ui.fatal) {
    this.stopped = true;
    this.ready = false;
    clearInterval(this.probeTimer);
    this.bus.stop();
    this.editor.setEditable(false);
    tell.call(this.ui, text);
  }

  // ---- presence ---------------------------------------------------------------

  selectionChanged() {
    if (this.presenceTimer || !this.canEdit) return;
    const wait = Math.max(0, this.lastPresenceAt + PRESENCE_INTERVAL_MS - Date.now());
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      this.sendPresence();
    }, wait);
  }

  sendPresence() {
    if (!this.ready || !this.client || !this.canEdit) return;
    // Positions are only meaningful at a revision others know: with edits still unconfirmed, our
    // copy is ahead of every revision, so wait until they are confirmed and try again.
    if (this.client.state !== 'synchronized') {
      this.lastPresenceAt = Date.now();
      this.selectionChanged();
      return;
    }
    this.lastPresenceAt = Date.now();
    this.bus.send('manifesto.presence', {
      doc: this.doc, clientId: this.client.clientId, selection: this.editor.selection(), revision: this.client.revision,
    });
  }

  person(p) {
    return { name: typeof p.name === 'string' ? p.name : '?', color: safeColor(p.color, p.clientId) };
  }

  onPresence(p) {
    const client = this.client;
    if (!p || typeof p.clientId !== 'string' || !client || p.clientId === client.clientId) return;
    if (p.left) {
      this.people.delete(p.clientId);
      this.editor.hideRemote(p.clientId);
      this.ui.people(this.people, client.clientId);
      return;
    }
    const person = this.person(p);
    const known = this.people.get(p.clientId);
    if (!known || known.name !== person.name || known.color !== person.color) {
      this.people.set(p.clientId, person);
      this.ui.people(this.people, client.clientId);
    }
    const s = p.selection;
    if (s && Array.isArray(s.ranges) && s.ranges.length > 0 &&
        s.ranges.every((r) => r && Number.isInteger(r.anchor) && Number.isInteger(r.head))) {
      // Positions refer to the server text at p.revision: move them into ours.
      const moved = client.transformSelection(s, p.revision);
      this.editor.showRemote(p.clientId, person, moved.ranges);
    }
  }

  // ---- persistence --------------------------------------------------------------

  /** Store the session now: done whenever a seq is handed out, so none is reused. */
  persistNow() {
    clearTimeout(this.persistTimer);
    this.persistTimer = null;
    const { client, session } = this;
    session.clientId = client ? client.clientId : session.clientId || null;
    session.nextSeq = client ? client.nextSeq : session.nextSeq || 1;
    if (client && client.state !== 'synchronized') {
      session.pending = { client: client.toJSON(), text: this.editor.text() };
    } else {
      delete session.pending;
    }
    this.saveSession(session);
  }

  persistSoon() {
    if (!this.persistTimer) this.persistTimer = setTimeout(() => this.persistNow(), 1000);
  }
}
