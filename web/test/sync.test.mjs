// LiveDocument against a fake event bus that speaks the contract (backed by
// the Server model from helpers.mjs) and a fake editor holding a string.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveDocument } from '../src/sync.js';
import { TextOperation } from '../src/otclient.js';
import { Server } from './helpers.mjs';

const flush = () => new Promise((resolve) => setImmediate(resolve));

class FakeBus {
  constructor(world, handlers) {
    Object.assign(this, handlers);
    this.world = world;
    this.isOpen = false;
    this.handlers = new Map();
    this.pending = new Set();
    this.sent = []; // [address, body]
    this.requests = []; // [address, body]
    this.clientId = null;
  }

  connect() { this.isOpen = true; this.handlers.clear(); this.onConnect(); }
  drop() {
    if (!this.isOpen) return;
    this.isOpen = false;
    for (const reject of this.pending) reject(Object.assign(new Error('disconnected'), { failureCode: 0 }));
    this.pending.clear();
    this.onDisconnect();
  }
  healthy() {}
  stop() { this.isOpen = false; }
  reconnectNow() {}
  register(address, fn) { this.handlers.set(address, fn); }
  send(address, body) { this.sent.push([address, body]); }
  publish(address, body) { if (this.isOpen && this.handlers.has(address)) this.handlers.get(address)(body); }

  request(address, body) {
    this.requests.push([address, structuredClone(body)]);
    return new Promise((resolve, reject) => {
      if (!this.isOpen) { reject(Object.assign(new Error('offline'), { failureCode: 0 })); return; }
      this.pending.add(reject);
      const answer = this.world.answer(this, address, body);
      const settle = () => {
        if (!this.pending.delete(reject)) return; // the socket dropped meanwhile
        if (answer.error) reject(Object.assign(new Error(answer.error.message), answer.error));
        else resolve(answer.body);
      };
      if (answer.hold) this.world.held.push(settle); else queueMicrotask(settle);
    });
  }
}

/** The server side: documents, resume secrets, failure injection. */
class World {
  constructor(text) {
    this.server = new Server(text);
    this.buses = [];
    this.sessions = new Map(); // resume -> clientId
    this.next = 1;
    this.failEdits = []; // failureCodes to answer the next edits with
    this.failHistory = []; // the same for history requests
    this.forgetResume = false;
    this.held = [];
    this.dropReplies = false; // apply edits but lose the socket before replying
  }

  answer(bus, address, body) {
    switch (address) {
      case 'manifesto.open': {
        let clientId = !this.forgetResume && body.resume && this.sessions.get(body.resume);
        if (!clientId) clientId = `c${this.next++}`;
        bus.clientId = clientId;
        const resume = `r-${clientId}-${Math.random()}`;
        this.sessions.set(resume, clientId);
        return { body: { doc: body.doc, revision: this.server.revision, text: this.server.text, clientId, resume, role: 'editor', participants: [] } };
      }
      case 'manifesto.history':
        if (this.failHistory.length) {
          const failureCode = this.failHistory.shift();
          return { error: { failureCode, message: `failure ${failureCode}` } };
        }
        return { body: { ops: this.server.historyFrom(body.from) } };
      case 'manifesto.edit': {
        if (this.failEdits.length) {
          const failureCode = this.failEdits.shift();
          return { error: { failureCode, message: `failure ${failureCode}` } };
        }
        const reply = this.server.submit(body);
        if (reply.published) for (const b of this.buses) b.publish(`manifesto.doc.${body.doc}`, reply.published);
        if (this.dropReplies) return { hold: true };
        return { body: { revision: reply.revision, duplicate: reply.duplicate } };
      }
      default:
        throw new Error(`unexpected ${address}`);
    }
  }
}

function page(world, { session = {} } = {}) {
  const editor = {
    value: '',
    text() { return this.value; },
    apply(op) { this.value = op.apply(this.value); },
    replace(t) { this.value = t; },
    selection: () => ({ ranges: [{ anchor: 0, head: 0 }] }),
    setEditable(yes) { this.editable = yes; },
    showRemote() {}, hideRemote() {}, remoteIds: () => [],
    confirmedRevisions: [],
    confirmed(op, m) { this.confirmedRevisions.push(m.revision); },
  };
  const statuses = [];
  const saved = [];
  const live = new LiveDocument({
    doc: 'd1',
    name: 'Ana',
    viewOnly: false,
    session,
    saveSession: (s) => saved.push(structuredClone(s)),
    createBus: (handlers) => {
      const bus = new FakeBus(world, handlers);
      world.buses.push(bus);
      return bus;
    },
    editor,
    ui: { status: (s) => statuses.push(s), role() {}, people() {}, message() {}, fatal: (t) => { throw new Error(t); } },
  });
  // typing: change the editor, then tell LiveDocument, as the page does
  const type = (json) => {
    const op = TextOperation.fromJSON(json);
    editor.value = op.apply(editor.value);
    live.localChange(op);
  };
  return { live, editor, bus: live.bus, type, statuses, saved };
}

const edits = (bus) => bus.requests.filter(([a]) => a === 'manifesto.edit').map(([, b]) => b);

test('open, register, catch up, then send edits one at a time', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('hello');
  const p = page(world);
  p.bus.connect();
  await flush();
  assert.deepEqual([...p.bus.handlers.keys()], ['manifesto.doc.d1', 'manifesto.presence.d1']);
  assert.deepEqual(p.bus.requests.map(([a]) => a), ['manifesto.open', 'manifesto.history']);
  assert.equal(p.bus.requests[0][1].name, 'Ana');
  assert.equal(p.editor.value, 'hello');
  assert.equal(p.live.state, 'saved');

  p.type([5, '!']);
  assert.equal(p.live.state, 'saved'); // acknowledged synchronously by the fake server's publication
  await flush();
  assert.deepEqual(edits(p.bus)[0], { doc: 'd1', clientId: 'c1', seq: 1, revision: 0, op: [5, '!'], selection: { ranges: [{ anchor: 0, head: 0 }] } });
  assert.equal(world.server.text, 'hello!');
});

test('503, 429, 500 and the bridge\'s -1 (no handler while the server restarts) are retried with the same seq, typing kept', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('');
  const p = page(world);
  p.bus.connect();
  await flush();
  world.failEdits = [503, 429, -1, 500];
  p.type(['a']);
  await flush();
  assert.equal(p.live.state, 'sending');
  p.type([1, 'b']); // buffered meanwhile
  for (let i = 0; i < 6; i++) {
    t.mock.timers.tick(10000);
    await flush();
  }
  const sent = edits(p.bus);
  assert.deepEqual(sent.slice(0, 5).map((b) => b.seq), [1, 1, 1, 1, 1]);
  assert.deepEqual(sent[5] && sent[5].seq, 2);
  assert.equal(world.server.text, 'ab');
  assert.equal(p.live.state, 'saved');
});

test('after a reconnect the unacknowledged op is recognised in history, typing made offline follows', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('x');
  const p = page(world);
  const other = page(world);
  p.bus.connect();
  other.bus.connect();
  await flush();

  // Our edit is applied, but the socket drops before we hear of it.
  world.dropReplies = true;
  const realPublish = p.bus.publish;
  p.bus.publish = () => {}; // nor does its publication reach us
  p.type([1, 'A']);
  p.bus.drop();
  p.bus.publish = realPublish;
  world.dropReplies = false;
  assert.equal(world.server.text, 'xA');
  assert.equal(p.live.state, 'offline');

  p.type([2, 'B']); // typed offline: kept in the buffer
  other.type(['o', 2]); // someone else meanwhile
  await flush();
  p.bus.connect();
  await flush();

  const opens = p.bus.requests.filter(([a]) => a === 'manifesto.open');
  assert.ok(opens[1][1].resume, 'reopened with resume');
  assert.equal(p.live.client.clientId, 'c1', 'same clientId');
  const sent = edits(p.bus);
  assert.deepEqual(sent.map((b) => b.seq), [1, 2], 'seq 1 not sent again: history acknowledged it');
  assert.equal(world.server.text, 'oxAB');
  assert.equal(p.editor.value, world.server.text);
  assert.equal(other.editor.value, world.server.text);
  assert.equal(p.live.state, 'saved');
});

test('an op lost with the socket is resubmitted with the same seq', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('');
  const p = page(world);
  p.bus.connect();
  await flush();
  world.failEdits = [0]; // a frame that never arrived, and then the socket went
  p.type(['a']);
  p.bus.drop();
  await flush();
  p.bus.connect();
  await flush();
  assert.deepEqual(edits(p.bus).map((b) => [b.clientId, b.seq]), [['c1', 1], ['c1', 1]]);
  assert.equal(world.server.text, 'a');
});

test('when the server forgot our session, the pending op gets the new clientId and seq 1', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('');
  const p = page(world);
  p.bus.connect();
  await flush();
  world.failEdits = [0];
  p.type(['a']);
  p.bus.drop();
  world.forgetResume = true;
  await flush();
  p.bus.connect();
  await flush();
  assert.equal(p.live.client.clientId, 'c2');
  assert.deepEqual(edits(p.bus).map((b) => [b.clientId, b.seq]), [['c1', 1], ['c2', 1]]);
  assert.equal(world.server.text, 'a');
});

test('a reload resumes from sessionStorage: same clientId, seq continues, pending work resent', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('');
  const p = page(world);
  p.bus.connect();
  await flush();
  p.type(['a']);
  await flush();
  world.failEdits = [0];
  p.type([1, 'b']); // never arrives
  await flush();
  const stored = p.saved.at(-1);
  assert.equal(stored.pending.text, 'ab');

  p.bus.drop(); // the page goes away
  const q = page(world, { session: structuredClone(stored) });
  q.editor.value = stored.pending.text; // as the page does on load
  q.bus.connect();
  await flush();
  assert.equal(q.live.client.clientId, 'c1');
  assert.deepEqual(edits(q.bus).map((b) => [b.clientId, b.seq]), [['c1', 2]]);
  assert.equal(world.server.text, 'ab');
  assert.equal(q.editor.value, 'ab');
  q.type([2, 'c']);
  await flush();
  assert.deepEqual(edits(q.bus).at(-1).seq, 3);
});

test('the editor hears of every committed op once, in order, ours and others, live or from history', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('x');
  const p = page(world);
  const other = page(world);
  p.bus.connect();
  other.bus.connect();
  await flush();
  p.type([1, 'a']);
  other.type(['b', 2]);
  await flush();
  p.bus.drop();
  other.type([3, 'c']); // missed live: comes from history after the reconnect
  p.type([3, 'd']); // typed offline
  await flush();
  p.bus.connect();
  await flush();
  other.type(['e', 5]);
  await flush();
  assert.equal(p.editor.value, world.server.text);
  assert.deepEqual(p.editor.confirmedRevisions, [1, 2, 3, 4, 5]);
  assert.deepEqual(other.editor.confirmedRevisions, [1, 2, 3, 4, 5]);
});

test('a 409 on history (the server holds an older copy than this page) reloads from the server', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const world = new World('hello');
  const p = page(world);
  p.bus.connect();
  await flush();
  assert.ok(p.live.client);
  world.failHistory = [409];
  await p.live.catchUp().catch(() => {});
  await flush();
  assert.equal(p.live.client, null, 'our state is dropped');
  assert.equal(p.bus.isOpen, false, 'and the page opens again, without resume');
});
