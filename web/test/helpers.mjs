// Shared test helpers: a seeded random generator and random operations.

import assert from 'node:assert/strict';
import { TextOperation } from '../src/otclient.js';

/** mulberry32: small, seedable, good enough to explore the state space. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (xs) => xs[next.int(xs.length)];
  return next;
}

/** The seed for a test run: CONVENE_SEED=... repeats a failing run. */
export function seed() {
  const s = process.env.CONVENE_SEED ? Number(process.env.CONVENE_SEED) : Math.floor(Math.random() * 2 ** 31);
  console.log(`seed ${s} (repeat with CONVENE_SEED=${s})`);
  return s;
}

// Mixed scripts, newlines, a carriage return and surrogate pairs.
const PIECES = ['a', 'bc', ' ', '\n', 'مرحبا', 'سلام ', 'é', '😀', '\r', 'Zürich', '🇸🇾'];

export function randomText(r, max = 6) {
  let s = '';
  for (let i = r.int(max); i > 0; i--) s += r.pick(PIECES);
  return s;
}

/** A random operation on str that never splits a surrogate pair. */
export function randomOperation(r, str) {
  const op = new TextOperation();
  let i = 0;
  const safe = (n) => {
    // extend n so that str[i + n - 1] is not a high surrogate
    while (i + n < str.length && /[\uD800-\uDBFF]/.test(str[i + n - 1])) n++;
    return n;
  };
  while (i < str.length) {
    const left = str.length - i;
    const n = safe(1 + r.int(Math.min(left, 5)));
    const roll = r();
    if (roll < 0.2) op.insert(randomText(r, 3) || 'x');
    if (roll < 0.6) op.retain(n);
    else op.delete(n);
    i += n;
  }
  if (r() < 0.3) op.insert(randomText(r, 3) || 'y');
  return op;
}

/**
 * A model of the server side of the contract: transforms a submission against
 * the ops after its base revision, answers a resubmitted (clientId, seq) with
 * its first revision, and hands back each applied op for the caller to publish.
 */
export class Server {
  constructor(text) {
    this.text = text;
    this.history = []; // history[r - 1] = {revision: r, op, clientId, seq}
    this.applied = new Map(); // `${clientId}/${seq}` -> revision
    this.lastSeq = new Map();
  }

  get revision() { return this.history.length; }

  submit({ clientId, seq, revision, op: json }) {
    const key = `${clientId}/${seq}`;
    if (this.applied.has(key)) return { revision: this.applied.get(key), duplicate: true };
    assert.equal(seq, (this.lastSeq.get(clientId) || 0) + 1, `seq of ${clientId} grows by one`);
    let o = TextOperation.fromJSON(json);
    for (const h of this.history.slice(revision)) o = TextOperation.transform(o, TextOperation.fromJSON(h.op))[0];
    this.text = o.apply(this.text);
    const entry = { revision: this.revision + 1, op: o.toJSON(), clientId, seq };
    this.history.push(entry);
    this.applied.set(key, entry.revision);
    this.lastSeq.set(clientId, seq);
    return { revision: entry.revision, published: entry };
  }

  historyFrom(from) {
    return this.history.slice(from);
  }
}
