// The client side of the live-editing protocol as a pure state machine: no DOM,
// no editor, no network. It follows ot.js's Client (synchronized / awaiting
// confirm / awaiting with buffer) and adds what our wire contract needs:
// (clientId, seq) identities for exactly-once resubmission, acknowledgement by
// seeing our own operation on the document stream, and ordering of published
// operations by revision (holes are reported so the caller can fetch history).
//
// Invariant, between any two calls:
//
//   local text = apply(apply(server text at `revision`, outstanding.op), buffer)
//
// where a missing outstanding or buffer counts as the identity. Consequently
// outstanding.op applies to the server text at `revision`, which is why a
// resubmission may always be sent as {seq, revision, op} with the current values.

import TextOperation from 'ot/lib/text-operation.js';
import Selection from 'ot/lib/selection.js';

export { TextOperation, Selection };

/** Thrown when the local state can no longer be reconciled with the server's. */
export class Divergence extends Error {
  constructor(message) {
    super(message);
    this.name = 'Divergence';
  }
}

// How many applied server operations to keep for moving presence selections
// that were stamped with an older revision.
const RECENT_OPS = 100;
// Early (out of order) operations kept while waiting for history to fill a hole.
const MAX_EARLY = 20000;

export class OTClient {
  /**
   * @param {object} o
   * @param {string} o.clientId     issued by manifesto.open
   * @param {number} o.revision     server revision the local text is based on
   * @param {number} [o.nextSeq=1]  next seq for a new operation of clientId
   * @param {{clientId:string, seq:number, op:TextOperation}|null} [o.outstanding]
   * @param {TextOperation|null} [o.buffer]
   * @param {(op: TextOperation, message: object) => void} o.applyOperation
   *        apply a (transformed) remote operation to the local text
   * @param {() => void} o.sendOperation
   *        a new operation became outstanding; read it with submission()
   * @param {(op: TextOperation, message: object) => void} [o.serverOperation]
   *        every server operation, ours included, in revision order, as published; called
   *        once `revision`, outstanding and buffer are past it, before applyOperation
   */
  constructor({ clientId, revision, nextSeq = 1, outstanding = null, buffer = null,
                applyOperation, sendOperation, serverOperation = () => {} }) {
    this.clientId = clientId;
    this.revision = revision;
    this.nextSeq = nextSeq;
    this.outstanding = outstanding;
    this.buffer = buffer;
    this.applyOperation = applyOperation;
    this.sendOperation = sendOperation;
    this.serverOperation = serverOperation;
    /** published operations ahead of revision + 1, by revision */
    this.early = new Map();
    /** the last RECENT_OPS applied server operations, ascending: {revision, op} */
    this.recent = [];
  }

  /** @returns {'synchronized'|'awaitingConfirm'|'awaitingWithBuffer'} */
  get state() {
    if (!this.outstanding) return 'synchronized';
    return this.buffer ? 'awaitingWithBuffer' : 'awaitingConfirm';
  }

  /** A local edit, already applied to the local text. */
  applyClient(op) {
    if (op.isNoop()) return;
    if (!this.outstanding) {
      this.outstanding = { clientId: this.clientId, seq: this.nextSeq++, op };
      this.sendOperation();
    } else {
      // apply(apply(S, A), B) = apply(S, compose(A, B)) keeps the invariant.
      this.buffer = this.buffer ? this.buffer.compose(op) : op;
    }
  }

  /**
   * What to send on manifesto.edit for the outstanding operation, or null.
   * A resubmission carries the same seq; the op is the one transformed up to
   * the current revision (the contract accepts either form).
   *
   * An outstanding operation issued under an earlier clientId (the server did
   * not honour our resume secret) is given a seq of the new clientId here, that
   * is, only when it is about to be sent again: callers send only after they
   * have caught up with history, which would have acknowledged it under its
   * old identity had it been applied.
   */
  submission() {
    const o = this.outstanding;
    if (!o) return null;
    if (o.clientId !== this.clientId) {
      this.outstanding = { clientId: this.clientId, seq: this.nextSeq++, op: o.op };
      return this.submission();
    }
    return { clientId: o.clientId, seq: o.seq, revision: this.revision, op: o.op.toJSON() };
  }

  /** The server gave us a different clientId (resume refused): a new seq space. */
  rebind(clientId) {
    if (clientId === this.clientId) return;
    this.clientId = clientId;
    this.nextSeq = 1;
  }

  /**
   * Feed published or historical operations: [{revision, op, clientId, seq}].
   * Operations at or below the current revision are ignored (already applied);
   * later ones are held until every revision before them is there.
   * @returns {boolean} true while there is a hole: fetch history from `revision`.
   * @throws {Divergence}
   */
  receive(messages) {
    for (const m of messages) {
      if (Number.isInteger(m.revision) && m.revision > this.revision) this.early.set(m.revision, m);
    }
    for (let m = this.early.get(this.revision + 1); m; m = this.early.get(this.revision + 1)) {
      this.early.delete(m.revision);
      this.applyServer(m);
    }
    if (this.early.size > MAX_EARLY) this.early.clear(); // history will bring them again
    return this.early.size > 0;
  }

  /** One operation at exactly revision + 1. */
  applyServer(m) {
    let op;
    try {
      op = TextOperation.fromJSON(m.op);
    } catch (e) {
      throw new Divergence(`unreadable operation at revision ${m.revision}`);
    }
    const o = this.outstanding;
    if (o && m.clientId === o.clientId && m.seq === o.seq) {
      // Our own operation: the acknowledgement. The server transformed it
      // against the same operations, in the same order, as we did, so the two
      // must agree (fromJSON normalises both). If not, the texts differ.
      if (!op.equals(o.op)) throw new Divergence(`operation ${o.seq} was applied differently`);
      this.outstanding = this.buffer ? { clientId: this.clientId, seq: this.nextSeq++, op: this.buffer } : null;
      this.buffer = null;
      this.advance(m, op);
      if (this.outstanding) this.sendOperation();
      return;
    }
    if (m.clientId === this.clientId || (o && m.clientId === o.clientId)) {
      // Our identity, but not the operation we are waiting for: another page
      // is using our clientId, or the server lost track of our seq.
      throw new Divergence(`unexpected operation ${m.seq} under our client id`);
    }
    // Someone else's: transform our pending work past it and it past our
    // pending work, so that both sides converge:
    // apply(apply(S, A), B') = apply(apply(S, B), A') for [A', B'] = transform(A, B).
    let remote = op;
    try {
      if (o) {
        let mine;
        [mine, remote] = TextOperation.transform(o.op, remote);
        this.outstanding = { ...o, op: mine };
        if (this.buffer) [this.buffer, remote] = TextOperation.transform(this.buffer, remote);
      }
    } catch (e) {
      throw new Divergence(`operation at revision ${m.revision} does not fit our text`);
    }
    this.advance(m, op);
    try {
      this.applyOperation(remote, m);
    } catch (e) {
      throw new Divergence(`operation at revision ${m.revision} does not fit our text: ${e.message}`);
    }
  }

  advance(m, op) {
    this.revision = m.revision;
    this.recent.push({ revision: m.revision, op });
    if (this.recent.length > RECENT_OPS) this.recent.shift();
    this.serverOperation(op, m);
  }

  /** The local operations the server has not confirmed, oldest first. */
  pending() {
    return [this.outstanding && this.outstanding.op, this.buffer].filter(Boolean);
  }

  /**
   * Move a remote selection, stamped with the server revision it refers to
   * (unknown: null), into the coordinates of the local text.
   * @returns {Selection}
   */
  transformSelection(selectionJson, atRevision) {
    let s = Selection.fromJSON(selectionJson);
    if (Number.isInteger(atRevision) && atRevision < this.revision) {
      for (const { revision, op } of this.recent) if (revision > atRevision) s = s.transform(op);
    }
    if (this.outstanding) s = s.transform(this.outstanding.op);
    if (this.buffer) s = s.transform(this.buffer);
    return s;
  }

  /** Plain data for sessionStorage; see OTClient.fromJSON. */
  toJSON() {
    const o = this.outstanding;
    return {
      clientId: this.clientId,
      revision: this.revision,
      nextSeq: this.nextSeq,
      outstanding: o && { clientId: o.clientId, seq: o.seq, op: o.op.toJSON() },
      buffer: this.buffer && this.buffer.toJSON(),
    };
  }

  static fromJSON(json, callbacks) {
    const o = json.outstanding;
    return new OTClient({
      clientId: json.clientId,
      revision: json.revision,
      nextSeq: json.nextSeq,
      outstanding: o && { clientId: o.clientId, seq: o.seq, op: TextOperation.fromJSON(o.op) },
      buffer: json.buffer && TextOperation.fromJSON(json.buffer),
      ...callbacks,
    });
  }
}
