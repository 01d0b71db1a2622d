// The event-bus connection, over the official Vert.x bridge client (which
// brings sockjs-client). It adds what a phone on a bad network needs:
// reconnecting on its own with capped, jittered exponential backoff, requests
// that fail (rather than hang) when the connection drops or stays silent, and
// the capability token on every frame we send.

import EventBus from '@vertx/eventbus-bridge-client.js';
import { backoffDelay } from './backoff.js';

// Only transports that need nothing but same-origin XHR and WebSocket: the
// iframe-based ones would load a script from elsewhere, which the page's
// Content-Security-Policy forbids.
const TRANSPORTS = ['websocket', 'xhr-streaming', 'xhr-polling'];

// SockJS gives up on its own eventually; on a captive portal or a dead mobile
// link that can take long, so we give up sooner and try again.
const CONNECT_TIMEOUT_MS = 20000;

/** An error reply, or a request that could not be answered (failureCode 0). */
export class RequestError extends Error {
  constructor(failureCode, message, failureType) {
    super(message || `failure ${failureCode}`);
    this.name = 'RequestError';
    this.failureCode = failureCode;
    this.failureType = failureType;
  }
}

export class Bus {
  /**
   * @param {object} o
   * @param {string} o.url        SockJS endpoint, e.g. location.origin + '/eventbus'
   * @param {string} o.token      capability token, sent as headers.token on every frame
   * @param {() => void} o.onConnect       socket open (not yet opened a document)
   * @param {() => void} o.onDisconnect    socket lost; a reconnect is scheduled
   * @param {(err: object) => void} [o.onBridgeError]  err frames no request owns
   */
  constructor({ url, token, onConnect, onDisconnect, onBridgeError = () => {} }) {
    this.url = url;
    this.token = token;
    this.onConnect = onConnect;
    this.onDisconnect = onDisconnect;
    this.onBridgeError = onBridgeError;
    this.eb = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
    /** reject functions of requests awaiting a reply on the current socket */
    this.pending = new Set();
  }

  get open() {
    return this.eb !== null && this.eb.state === EventBus.OPEN;
  }

  headers() {
    // A fresh object each time: the client merges default headers into it.
    return { token: this.token };
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = null;
    const eb = new EventBus(this.url, { transports: TRANSPORTS });
    this.eb = eb;
    // Every handler checks that its socket is still the current one: a socket
    // we gave up on may still report in later.
    eb.onopen = () => { if (this.eb === eb) this.onConnect(); };
    eb.onclose = () => { if (this.eb === eb) this.lost(); };
    eb.onerror = (err) => { if (this.eb === eb) this.onBridgeError(err); };
    setTimeout(() => { if (this.eb === eb && !this.open) this.drop(); }, CONNECT_TIMEOUT_MS);
  }

  /** The socket is gone: fail what waits on it, tell the app, schedule a retry. */
  lost() {
    this.eb = null;
    const rejects = [...this.pending];
    this.pending.clear();
    for (const reject of rejects) reject(new RequestError(0, 'disconnected'));
    this.onDisconnect();
    if (!this.stopped && this.timer === null) {
      this.timer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
    }
  }

  /** Give up on the current socket (it stopped answering) and reconnect. */
  drop() {
    const eb = this.eb;
    if (!eb) return;
    this.lost();
    try { eb.close(); } catch (e) { /* already closed */ }
  }

  /** The app got a working session: the next loss starts the backoff afresh. */
  healthy() {
    this.attempt = 0;
  }

  /** Try now rather than at the scheduled time (the browser says it is online). */
  reconnectNow() {
    if (this.eb === null && !this.stopped) this.connect();
  }

  /** Close for good (fatal error such as an invalid link). */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    const eb = this.eb;
    this.eb = null;
    if (eb) try { eb.close(); } catch (e) { /* already closed */ }
  }

  /**
   * Send and wait for the reply body. Rejects with a RequestError: the
   * server's failureCode, or 0 when offline, disconnected or timed out.
   */
  request(address, body, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const eb = this.eb;
      if (!this.open) { reject(new RequestError(0, 'offline')); return; }
      let timer = null;
      const settle = () => { clearTimeout(timer); this.pending.delete(fail); };
      const fail = (e) => { settle(); reject(e); };
      timer = setTimeout(() => fail(new RequestError(0, 'timeout')), timeoutMs);
      this.pending.add(fail);
      try {
        eb.send(address, body, this.headers(), (err, msg) => {
          if (!this.pending.has(fail)) return; // already failed
          settle();
          if (err) reject(new RequestError(err.failureCode, err.message, err.failureType));
          else resolve(msg.body);
        });
      } catch (e) {
        fail(new RequestError(0, 'offline'));
      }
    });
  }

  /** Send without expecting a reply (presence). Dropped when offline. */
  send(address, body) {
    if (!this.open) return;
    try { this.eb.send(address, body, this.headers()); } catch (e) { /* socket closing */ }
  }

  /**
   * Receive what the server publishes on address, for as long as this socket
   * lives (the bridge forgets registrations with the socket, so register again
   * after every reconnect).
   */
  register(address, onMessage) {
    if (!this.open) return;
    const eb = this.eb;
    eb.registerHandler(address, this.headers(), (err, msg) => {
      if (this.eb !== eb) return;
      if (err) this.onBridgeError(err);
      else onMessage(msg.body);
    });
  }
}
