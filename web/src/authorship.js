// Who wrote each character of the live text, kept up to date in the browser by
// the rules the server uses (AuthorOp.java, docs/versions.md): the characters an
// operation inserts take its author's name, retained ones keep theirs, deleted
// ones go. Authorship is a list of runs [{author, length}] in UTF-16 units, as
// ot.js and the server count; "" is the text the manifesto was created with.
// Runs are normalised: no empty run, no two neighbours by the same author, so
// they compare equal to the server's `runs` for the same history.
//
// Invariant: the runs after the operations of revisions 1..r equal
// GET /api/manifestos/{id}/revisions/r?authors=true. The one thing only the
// server knows is a restore's authorship (the restored version's, not the
// restorer's): the tracker then asks to be loaded again at that revision.
// No DOM, no network, no editor: tested in node.

const MAX_LOG = 10000; // operations kept while runs are being loaded

/** Appends a run, merging it into the last one when the author is the same. */
function push(out, author, length) {
  if (length <= 0) return;
  const last = out[out.length - 1];
  if (last && last.author === author) last.length += length;
  else out.push({ author, length });
}

/** Fresh runs without empty runs or equal neighbours. */
export function normalize(runs) {
  const out = [];
  for (const r of runs) push(out, r.author, r.length);
  return out;
}

export function lengthOf(runs) {
  let n = 0;
  for (const r of runs) n += r.length;
  return n;
}

export function sameRuns(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((r, i) => r.author === b[i].author && r.length === b[i].length);
}

/**
 * The runs after `op` (an ot.js TextOperation or its JSON array), whose inserts
 * are by `author`. Does not change `runs`.
 * @throws {Error} when op does not apply to a text of lengthOf(runs) units
 */
export function applyOperation(runs, op, author) {
  const parts = Array.isArray(op) ? op : op.ops;
  const out = [];
  let i = 0; // the run we are in
  let used = 0; // units of runs[i] already passed
  const pass = (n, keep) => {
    while (n > 0) {
      if (i >= runs.length) throw new Error(`operation longer than the text (${lengthOf(runs)} units)`);
      const k = Math.min(n, runs[i].length - used);
      if (keep) push(out, runs[i].author, k);
      n -= k;
      used += k;
      if (used === runs[i].length) {
        i++;
        used = 0;
      }
    }
  };
  for (const p of parts) {
    if (typeof p === 'string') push(out, author, p.length);
    else if (Number.isInteger(p) && p > 0) pass(p, true);
    else if (Number.isInteger(p) && p < 0) pass(-p, false);
    else throw new Error(`not an operation component: ${JSON.stringify(p)}`);
  }
  while (i < runs.length && runs[i].length === 0) i++;
  if (i < runs.length) throw new Error(`operation shorter than the text (${lengthOf(runs)} units)`);
  return out;
}

/**
 * The version a published operation restores, or null: the server's own edit
 * (client id "server-…") whose author ends in "(restore of version n)".
 */
export function restoredVersion(message) {
  if (!message || typeof message.clientId !== 'string' || !message.clientId.startsWith('server-')) return null;
  const m = typeof message.name === 'string' ? /\(restore of version ([0-9]{1,9})\)$/.exec(message.name) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The authorship of the server's text at `revision`, following the operations
 * the server publishes, in revision order. It starts unknown: the caller loads
 * the server's runs at `loadingAt` and hands them to load(); operations that
 * arrive meanwhile are kept and replayed on top.
 */
export class AuthorshipTracker {
  constructor(revision) {
    this.revision = revision; // the last server revision taken in
    this.runs = null; // at `revision`; null until loaded
    this.loadingAt = revision; // the revision whose runs are awaited, or null
    this.log = []; // [{op, author}] of the revisions after loadingAt
  }

  /**
   * The operation committed at message.revision, the one after `revision`, by
   * message.name (`op` as published, not transformed for local edits).
   * @returns {boolean} true when the runs must be loaded again, at `loadingAt`
   * @throws {Error} on a revision out of order: start a new tracker
   */
  server(message, op = message.op) {
    const r = message.revision;
    if (r <= this.revision) return false; // already taken in
    if (r !== this.revision + 1) throw new Error(`authorship at revision ${this.revision} got revision ${r}`);
    const author = typeof message.name === 'string' ? message.name : '';
    this.revision = r;
    // Until the server's runs come, a restore is shown as the restorer's: better than nothing.
    if (this.runs) this.runs = applyOperation(this.runs, op, author);
    if (restoredVersion(message) !== null || this.log.length >= MAX_LOG) {
      this.loadingAt = r;
      this.log = [];
      return true;
    }
    if (this.loadingAt !== null) this.log.push({ op, author });
    return false;
  }

  /**
   * The server's runs at `revision`.
   * @returns {boolean} whether they were taken: only those at `loadingAt` are
   */
  load(revision, runs) {
    if (revision !== this.loadingAt) return false;
    let next = normalize(runs);
    for (const { op, author } of this.log) next = applyOperation(next, op, author);
    this.runs = next;
    this.loadingAt = null;
    this.log = [];
    return true;
  }

  /**
   * The runs of the local text: the server's, then the local edits it has not
   * confirmed yet (ot.js operations, oldest first), by `me`.
   */
  shown(pending, me) {
    if (!this.runs) return null;
    let runs = this.runs;
    for (const op of pending) if (op) runs = applyOperation(runs, op, me);
    return runs;
  }
}
