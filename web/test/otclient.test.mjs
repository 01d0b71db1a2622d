import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Divergence, OTClient, TextOperation } from '../src/otclient.js';
import { Server, randomOperation, randomText, rng, seed } from './helpers.mjs';

const op = (json) => TextOperation.fromJSON(json);

/** A client whose "editor" is a string, recording what it would send. */
function makeClient({ clientId = 'me', revision = 0, text = '' } = {}) {
  const page = { text, sent: 0 };
  page.client = new OTClient({
    clientId,
    revision,
    applyOperation: (o) => { page.text = o.apply(page.text); },
    sendOperation: () => { page.sent++; },
  });
  page.type = (o) => { page.text = o.apply(page.text); page.client.applyClient(o); };
  return page;
}

test('one op in flight; later edits are composed into the buffer', () => {
  const p = makeClient({ text: 'abc' });
  p.type(op([3, 'd']));
  assert.equal(p.client.state, 'awaitingConfirm');
  assert.deepEqual(p.client.submission(), { clientId: 'me', seq: 1, revision: 0, op: [3, 'd'] });
  p.type(op([4, 'e']));
  p.type(op([5, 'f']));
  assert.equal(p.client.state, 'awaitingWithBuffer');
  assert.equal(p.sent, 1);
  assert.deepEqual(p.client.buffer.toJSON(), [4, 'ef']);
});

test('our op on the stream is the ack; the buffer goes out with the next seq', () => {
  const p = makeClient({ text: 'abc' });
  p.type(op([3, 'd']));
  p.type(op([4, 'e']));
  p.client.receive([{ revision: 1, op: [3, 'd'], clientId: 'me', seq: 1 }]);
  assert.equal(p.client.revision, 1);
  assert.equal(p.sent, 2);
  assert.deepEqual(p.client.submission(), { clientId: 'me', seq: 2, revision: 1, op: [4, 'e'] });
  p.client.receive([{ revision: 2, op: [4, 'e'], clientId: 'me', seq: 2 }]);
  assert.equal(p.client.state, 'synchronized');
  assert.equal(p.text, 'abcde');
});

test('a remote op is transformed past pending work, and pending work past it', () => {
  const p = makeClient({ text: 'abc' });
  p.type(op(['X', 3])); // outstanding
  p.type(op([4, 'Y'])); // buffer
  p.client.receive([{ revision: 1, op: [1, 'r', 2], clientId: 'other', seq: 1 }]);
  assert.equal(p.text, 'XarbcY');
  assert.deepEqual(p.client.submission().op, ['X', 4]);
  assert.deepEqual(p.client.submission().revision, 1);
  assert.deepEqual(p.client.buffer.toJSON(), [5, 'Y']);
});

test('stale and duplicate ops are ignored; coalesced and out-of-order ones are ordered', () => {
  const p = makeClient({ text: '' });
  const m = (revision, ins) => ({ revision, op: revision > 1 ? [revision - 1, ins] : [ins], clientId: 'o', seq: revision });
  assert.equal(p.client.receive([m(1, 'a'), m(2, 'b')]), false);
  assert.equal(p.client.receive([m(1, 'a')]), false); // duplicate: nothing happens
  assert.equal(p.text, 'ab');
  assert.equal(p.client.receive([m(4, 'd')]), true, 'revision 3 is missing: a hole');
  assert.equal(p.text, 'ab');
  assert.equal(p.client.receive([m(3, 'c'), m(4, 'd')]), false, 'history filled it');
  assert.equal(p.text, 'abcd');
  assert.equal(p.client.revision, 4);
});

test('an ack that does not match what we sent is a divergence', () => {
  const p = makeClient({ text: 'abc' });
  p.type(op([3, 'd']));
  assert.throws(() => p.client.receive([{ revision: 1, op: [3, 'zz'], clientId: 'me', seq: 1 }]), Divergence);
  const q = makeClient({ text: 'abc' });
  assert.throws(() => q.client.receive([{ revision: 1, op: [3, 'x'], clientId: 'me', seq: 7 }]), Divergence);
  const r = makeClient({ text: 'abc' });
  assert.throws(() => r.client.receive([{ revision: 1, op: [4, 'x'], clientId: 'o', seq: 1 }]), Divergence);
});

test('the ack is recognised in the normalised form the server may send', () => {
  const p = makeClient({ text: 'abcd' });
  p.type(op([1, -2, 'xy', 1])); // ot.js puts the insert first: [1, 'xy', -2, 1]
  p.client.receive([{ revision: 1, op: [1, -1, -1, 'x', 'y', 1], clientId: 'me', seq: 1 }]);
  assert.equal(p.client.state, 'synchronized');
});

test('after a refused resume the outstanding op gets a seq of the new clientId, not before', () => {
  const p = makeClient({ text: '' });
  p.type(op(['a']));
  p.client.rebind('new');
  // Had it been applied under the old identity, history would show it:
  const q = makeClient({ text: '' });
  q.type(op(['a']));
  q.client.rebind('new');
  q.client.receive([{ revision: 1, op: ['a'], clientId: 'me', seq: 1 }]);
  assert.equal(q.client.state, 'synchronized');
  // It was not: it goes out again as the new client's first op.
  assert.deepEqual(p.client.submission(), { clientId: 'new', seq: 1, revision: 0, op: ['a'] });
  assert.equal(p.client.outstanding.clientId, 'new');
});

test('remote selections move through newer revisions and our pending work', () => {
  const p = makeClient({ text: 'hello' });
  p.client.receive([{ revision: 1, op: ['>>', 5], clientId: 'o', seq: 1 }]);
  p.type(op(['!', 7]));
  // A cursor at 5 as of revision 0: after '>>' (revision 1) and our '!'.
  const s = p.client.transformSelection({ ranges: [{ anchor: 0, head: 5 }] }, 0);
  assert.deepEqual(s.ranges.map((r) => [r.anchor, r.head]), [[3, 8]]);
  const t = p.client.transformSelection({ ranges: [{ anchor: 2, head: 2 }] }, 1);
  assert.deepEqual(t.ranges.map((r) => [r.anchor, r.head]), [[3, 3]]);
});

test('toJSON/fromJSON keeps identity, seq and pending work', () => {
  const p = makeClient({ text: 'abc', revision: 7 });
  p.type(op([3, 'd']));
  p.type(op([4, 'e']));
  const json = JSON.parse(JSON.stringify(p.client.toJSON()));
  const back = OTClient.fromJSON(json, { applyOperation() {}, sendOperation() {} });
  assert.deepEqual(back.toJSON(), p.client.toJSON());
  assert.equal(back.state, 'awaitingWithBuffer');
  assert.equal(back.nextSeq, 2);
});

// ---- randomised: many clients, a server, lossy connections ---------------------

function simulate(r, { clients: n, steps }) {
  const server = new Server(randomText(r, 8));
  const pages = [];
  for (let i = 0; i < n; i++) {
    const page = makeClient({ clientId: `c${i}`, revision: 0, text: server.text });
    Object.assign(page, { online: true, inbox: [], toServer: [] });
    page.client.sendOperation = () => { if (page.online) page.toServer.push(page.client.submission()); };
    pages.push(page);
  }
  const publish = (entry) => {
    for (const p of pages) if (p.online) p.inbox.push(entry);
  };
  const catchUp = (p) => {
    p.client.receive(server.historyFrom(p.client.revision));
    assert.equal(p.client.revision, server.revision);
  };
  // The edit reply follows the publication on the same socket; a client that
  // has not seen the revision it names missed it, and asks history.
  const submit = (p, sub) => {
    const reply = server.submit(sub);
    if (reply.published) publish(reply.published);
    if (p.online) p.inbox.push({ reply: reply.revision });
  };
  const deliver = (p, batch) => {
    const ops = batch.filter((m) => m.reply === undefined);
    const replies = batch.filter((m) => m.reply !== undefined);
    if (p.client.receive(ops)) catchUp(p);
    if (replies.some((m) => m.reply > p.client.revision)) catchUp(p);
  };

  for (let step = 0; step < steps; step++) {
    const p = r.pick(pages);
    const roll = r();
    if (roll < 0.35) {
      p.type(randomOperation(r, p.text));
    } else if (roll < 0.6 && p.toServer.length) {
      submit(p, p.toServer.shift());
    } else if (roll < 0.85 && p.inbox.length) {
      // deliver one message or a coalesced run; now and then one gets lost
      const k = 1 + r.int(p.inbox.length);
      const batch = p.inbox.splice(0, k);
      if (r() < 0.1) batch.splice(r.int(batch.length), 1);
      deliver(p, batch);
    } else if (roll < 0.93 && p.online) {
      // the connection drops: what was on the wire may or may not have arrived
      p.online = false;
      p.inbox = [];
      for (const sub of p.toServer.splice(0)) if (r() < 0.5) submit(p, sub);
    } else if (!p.online) {
      // reconnect: catch up with history, then resubmit the outstanding op
      p.online = true;
      catchUp(p);
      const sub = p.client.submission();
      if (sub) p.toServer.push(sub);
    }
  }

  // Quiesce: everyone online, everything delivered.
  for (let round = 0; round < 10000; round++) {
    let busy = false;
    for (const p of pages) {
      if (!p.online) {
        p.online = true;
        catchUp(p);
        const sub = p.client.submission();
        if (sub) p.toServer.push(sub);
      }
      while (p.toServer.length) {
        busy = true;
        submit(p, p.toServer.shift());
      }
      if (p.inbox.length) {
        busy = true;
        deliver(p, p.inbox.splice(0));
      }
    }
    if (!busy) {
      // the page's periodic probe: ask history for anything missed
      for (const p of pages) {
        const before = p.client.revision;
        catchUp(p);
        if (p.client.revision !== before) busy = true;
      }
    }
    if (!busy) break;
  }
  for (const p of pages) {
    assert.equal(p.client.state, 'synchronized', `${p.client.clientId} has nothing pending`);
    assert.equal(p.text, server.text, `${p.client.clientId} converged`);
  }
  return server;
}

test('random sessions with lost messages and reconnects converge, seqs contiguous', () => {
  const s = seed();
  for (let run = 0; run < 300; run++) {
    const r = rng(s + run);
    try {
      simulate(r, { clients: 1 + r.int(4), steps: 30 + r.int(150) });
    } catch (e) {
      e.message = `run ${run} of seed ${s}: ${e.message}`;
      throw e;
    }
  }
});

test('serverOperation sees every server op in order, once our pending work has moved past it', () => {
  const seen = [];
  const p = makeClient({ text: 'abc' });
  p.client.serverOperation = (o, m) => {
    // At this point: server text at m.revision, then our pending ops, give our text (after the
    // editor applies the transformed remote op, which comes next).
    seen.push({ revision: m.revision, op: o.toJSON(), pending: p.client.pending().map((x) => x.toJSON()), revision2: p.client.revision });
  };
  p.type(op(['X', 3]));
  p.type(op([4, 'Y']));
  p.client.receive([{ revision: 2, op: [4, '!'], clientId: 'other', seq: 2 }]); // early: held
  assert.deepEqual(seen, []);
  p.client.receive([{ revision: 1, op: [1, 'r', 2], clientId: 'other', seq: 1 }]);
  p.client.receive([{ revision: 3, op: ['X', 5], clientId: 'me', seq: 1 }]); // our ack
  assert.deepEqual(seen, [
    { revision: 1, op: [1, 'r', 2], pending: [['X', 4], [5, 'Y']], revision2: 1 },
    { revision: 2, op: [4, '!'], pending: [['X', 5], [5, 'Y', 1]], revision2: 2 },
    { revision: 3, op: ['X', 5], pending: [[5, 'Y', 1]], revision2: 3 },
  ]);
  assert.equal(p.text, 'XarbcY!');
});
