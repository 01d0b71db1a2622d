import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  AuthorshipTracker, applyOperation, lengthOf, normalize, restoredVersion, sameRuns,
} from '../src/authorship.js';
import { OTClient, TextOperation } from '../src/otclient.js';
import { Server, rng, seed } from './helpers.mjs';

const run = (author, length) => ({ author, length });
const CASES = JSON.parse(readFileSync(new URL('./authorship-cases.json', import.meta.url), 'utf8')).cases;

/** One author per UTF-16 unit. */
function expand(runs) {
  return runs.flatMap((r) => Array(r.length).fill(r.author));
}

test('inserted characters take the inserter’s name, and runs stay merged', () => {
  const start = [run('', 5)];
  assert.deepEqual(applyOperation(start, [2, 'ab', 3], 'Amal'), [run('', 2), run('Amal', 2), run('', 3)]);
  assert.deepEqual(applyOperation(start, ['x', 5, 'y'], ''), [run('', 7)], 'the same author next to itself: one run');
  assert.deepEqual(start, [run('', 5)], 'the input is not changed');
  const twice = applyOperation(applyOperation(start, [5, 'ab'], 'Amal'), [7, 'cd'], 'Amal');
  assert.deepEqual(twice, [run('', 5), run('Amal', 4)]);
  assert.deepEqual(applyOperation([], ['first'], 'Bruno'), [run('Bruno', 5)], 'an empty text');
});

test('deletions remove characters, and the runs around a deleted run join', () => {
  const runs = [run('', 3), run('Amal', 3), run('', 3)];
  assert.deepEqual(applyOperation(runs, [3, -3, 3], 'Bruno'), [run('', 6)]);
  assert.deepEqual(applyOperation(runs, [2, -2, 5], 'Bruno'), [run('', 2), run('Amal', 2), run('', 3)]);
  assert.deepEqual(applyOperation(runs, [-9], 'Bruno'), []);
  assert.deepEqual(applyOperation(runs, [1, -7, 'zz', 1], 'Bruno'), [run('', 1), run('Bruno', 2), run('', 1)]);
});

test('an operation of the wrong length is refused', () => {
  assert.throws(() => applyOperation([run('', 3)], [4], 'x'), /longer than the text/);
  assert.throws(() => applyOperation([run('', 3)], [2], 'x'), /shorter than the text/);
  assert.throws(() => applyOperation([run('', 3)], [3, 0], 'x'), /not an operation component/);
});

test('lengths are UTF-16 units: emoji and flags are two and four, Arabic one per letter', () => {
  // "سلام 🌍" is 7 units: 4 letters, a space, a surrogate pair.
  const text = 'سلام 🌍';
  let runs = [run('', text.length)];
  const op = TextOperation.fromJSON([5, '😀🇸🇾 مرحبا ', 2]); // before the globe, after the space
  runs = applyOperation(runs, op, 'نادیا');
  const after = op.apply(text);
  assert.equal(lengthOf(runs), after.length);
  assert.deepEqual(runs, [run('', 5), run('نادیا', 13), run('', 2)]);
  // No run boundary falls inside a surrogate pair.
  let at = 0;
  for (const r of runs) {
    at += r.length;
    assert.ok(!/[\uDC00-\uDFFF]/.test(after[at] || ''), `a boundary at ${at} splits a pair`);
  }
  // Deleting the emoji (two units) takes both units away.
  assert.deepEqual(applyOperation(runs, [5, -2, 13], 'x'), [run('', 5), run('نادیا', 11), run('', 2)]);
});

test('normalize drops empty runs and merges neighbours; sameRuns compares', () => {
  const runs = [run('a', 0), run('a', 2), run('a', 1), run('', 0), run('b', 1)];
  assert.deepEqual(normalize(runs), [run('a', 3), run('b', 1)]);
  assert.ok(sameRuns(normalize(runs), [run('a', 3), run('b', 1)]));
  assert.ok(!sameRuns([run('a', 3)], [run('b', 3)]));
  assert.ok(!sameRuns(null, []));
});

test('every run list of the table the server is held to (AuthorshipCasesTest)', () => {
  for (const c of CASES) {
    const t = new AuthorshipTracker(0);
    t.load(0, [run('', c.text.length)]);
    let text = c.text;
    c.edits.forEach((e, i) => {
      t.server({ revision: i + 1, op: e.op, clientId: `c-${e.name}`, seq: i + 1, name: e.name });
      text = TextOperation.fromJSON(e.op).apply(text);
      assert.equal(text, e.text, `${c.title}: text at ${i + 1}`);
      assert.deepEqual(t.runs, e.runs, `${c.title}: runs at ${i + 1}`);
    });
  }
});

test('operations that arrive while the runs load are replayed on top of them', () => {
  const t = new AuthorshipTracker(4);
  assert.equal(t.shown([], 'me'), null, 'nothing to show before the runs come');
  assert.equal(t.server({ revision: 4, op: [1], name: 'old' }), false, 'already included in the runs at 4');
  t.server({ revision: 5, op: [3, 'ab'], name: 'Amal' });
  t.server({ revision: 6, op: ['x', 5], name: 'Bruno' });
  assert.equal(t.load(3, [run('', 2)]), false, 'runs of another revision are not taken');
  assert.equal(t.load(5, [run('', 3)]), false);
  assert.equal(t.load(4, [run('', 1), run('', 2)]), true);
  assert.deepEqual(t.runs, [run('Bruno', 1), run('', 3), run('Amal', 2)]);
  assert.equal(t.loadingAt, null);
  t.server({ revision: 7, op: [-1, 5], name: 'Bruno' });
  assert.deepEqual(t.runs, [run('', 3), run('Amal', 2)]);
  assert.throws(() => t.server({ revision: 9, op: [5], name: 'x' }), /got revision 9/);
});

test('a restore is loaded again from the server at its revision', () => {
  const restore = { revision: 3, op: [-2, 'old text'], clientId: 'server-abc', seq: 1, name: 'Leila (restore of version 1)' };
  assert.equal(restoredVersion(restore), 1);
  assert.equal(restoredVersion({ ...restore, clientId: 'c1' }), null, 'a participant cannot pose as a restore');
  assert.equal(restoredVersion({ ...restore, name: 'Farid' }), null, 'the server’s other edits count as their author’s');
  assert.equal(restoredVersion({ ...restore, name: '(restore of version 12) and more' }), null);

  const t = new AuthorshipTracker(1);
  t.load(1, [run('Amal', 1)]);
  t.server({ revision: 2, op: [1, 'b'], name: 'Bruno' });
  assert.equal(t.server(restore), true, 'asks for the runs at 3');
  assert.equal(t.loadingAt, 3);
  assert.deepEqual(t.runs, [run('Leila (restore of version 1)', 8)], 'meanwhile: the restorer’s');
  t.server({ revision: 4, op: [8, '!'], name: 'Bruno' });
  assert.equal(t.load(1, [run('Amal', 1)]), false);
  assert.equal(t.load(3, [run('Amal', 3), run('', 5)]), true);
  assert.deepEqual(t.runs, [run('Amal', 3), run('', 5), run('Bruno', 1)]);
});

test('local edits not yet confirmed are shown as ours, on top of the server’s runs', () => {
  const t = new AuthorshipTracker(0);
  t.load(0, [run('', 3)]);
  const outstanding = TextOperation.fromJSON([3, 'de']);
  const buffer = TextOperation.fromJSON(['X', 5]);
  assert.deepEqual(t.shown([outstanding, buffer], 'Me'), [run('Me', 1), run('', 3), run('Me', 2)]);
  assert.deepEqual(t.runs, [run('', 3)], 'the server’s runs stay as they are');
});

test('a remote op while ours is in flight: both pages show what the server will say', () => {
  const server = new Server('abc');
  const names = { a: 'Amal', b: 'Bruno' };
  const pages = {};
  for (const id of ['a', 'b']) {
    const p = { text: 'abc', tracker: new AuthorshipTracker(0) };
    p.tracker.load(0, [run('', 3)]);
    p.client = new OTClient({
      clientId: id,
      revision: 0,
      applyOperation: (o) => { p.text = o.apply(p.text); },
      sendOperation: () => {},
      serverOperation: (o, m) => p.tracker.server(m, o),
    });
    p.type = (json) => {
      const o = TextOperation.fromJSON(json);
      p.text = o.apply(p.text);
      p.client.applyClient(o);
    };
    p.shown = () => p.tracker.shown(p.client.pending(), names[id]);
    pages[id] = p;
  }
  const { a, b } = pages;
  a.type([1, 'AA', 2]); // outstanding
  a.type([3, 'a', 2]); // buffer: "aAAabc"
  b.type([1, 'BB', 2]); // the same place, at the same time
  assert.deepEqual(a.shown(), [run('', 1), run('Amal', 3), run('', 2)]);

  const publish = (sub) => {
    const { published } = server.submit(sub);
    const m = { ...published, name: names[sub.clientId] };
    for (const p of [a, b]) p.client.receive([m]);
  };
  publish(b.client.submission()); // Bruno's first: Amal's pending work moves past it
  // The server puts an incoming insert before a concurrent one at the same place, and so do
  // the pages: Amal's "AA" (sent later) ends up before Bruno's "BB", her buffered "a" after it.
  const expected = [run('', 1), run('Amal', 3), run('Bruno', 2), run('', 2)];
  assert.equal(a.text, 'aAAaBBbc');
  assert.deepEqual(a.shown(), expected, 'Amal, with her two edits still pending');
  assert.deepEqual(b.shown(), [run('', 1), run('Bruno', 2), run('', 2)], 'Bruno, confirmed');
  publish(a.client.submission());
  publish(a.client.submission());
  assert.equal(a.client.state, 'synchronized');
  assert.equal(server.text, 'aAAaBBbc');
  assert.equal(b.text, server.text);
  assert.deepEqual(a.shown(), expected);
  assert.deepEqual(b.shown(), expected);
  assert.deepEqual(a.tracker.runs, expected, 'nothing pending: the confirmed runs');
});

// Each author writes only their own characters (the initial text: only its own too), so the
// author of every character of any page's text can be read off the character itself.
const ALPHABETS = { '': ['x', 'y', ' ', '\n'], Amal: ['a', 'ب', '😀'], Bruno: ['b', 'ش', '🌍', '\t'], نادیا: ['n', 'ی', '🇸🇾'] };
// By code point: an edit may come between the two regional indicators of a flag.
const AUTHOR_OF = new Map(Object.entries(ALPHABETS).flatMap(([who, chars]) => [...chars.join('')].map((ch) => [ch, who])));

function authorsOf(text) {
  const out = [];
  for (const ch of text) out.push(...Array(ch.length).fill(AUTHOR_OF.get(ch)));
  return out;
}

function randomWord(r, who, max = 3) {
  let s = '';
  for (let i = 1 + r.int(max); i > 0; i--) s += r.pick(ALPHABETS[who]);
  return s;
}

/** A random edit of text by who: inserts of their own characters, deletes; never splits a pair. */
function randomEdit(r, text, who) {
  const op = new TextOperation();
  let i = 0;
  while (i < text.length) {
    let n = 1 + r.int(Math.min(text.length - i, 4));
    while (i + n < text.length && /[\uD800-\uDBFF]/.test(text[i + n - 1])) n++;
    const roll = r();
    if (roll < 0.15) op.insert(randomWord(r, who));
    if (roll < 0.85) op.retain(n);
    else op.delete(n);
    i += n;
  }
  if (r() < 0.3) op.insert(randomWord(r, who));
  return op;
}

test('random sessions: every page shows each character’s author at every step, as the server would', () => {
  const s = seed();
  const r = rng(s);
  for (let round = 0; round < 150; round++) {
    const initial = randomWord(r, '', 8);
    const server = new Server(initial);
    const names = ['Amal', 'Bruno', 'نادیا'];
    const published = []; // what the server published, with names, by revision - 1
    const outbox = []; // pages with an operation ready to send
    const pages = names.map((name, k) => {
      const p = { name, text: initial, inbox: [], tracker: null, loads: [] };
      p.client = new OTClient({
        clientId: `c${k}`,
        revision: 0,
        applyOperation: (o) => { p.text = o.apply(p.text); },
        sendOperation: () => outbox.push(p),
        serverOperation: (o, m) => {
          if (p.tracker && p.tracker.server(m, o)) throw new Error('no restores here');
        },
      });
      return p;
    });
    // The runs the server would answer for revision n: the character model of its history.
    const serverRuns = (n) => {
      let runs = [run('', initial.length)];
      for (const m of published.slice(0, n)) runs = applyOperation(runs, m.op, m.name);
      return runs;
    };
    const check = (p, when) => {
      const shown = p.tracker && p.tracker.shown(p.client.pending(), p.name);
      if (!shown) return;
      assert.deepEqual(expand(shown), authorsOf(p.text), `seed ${s}, round ${round}, ${p.name}, ${when}: ${JSON.stringify(p.text)}`);
    };

    for (let step = 0; step < 60; step++) {
      const p = r.pick(pages);
      const roll = r();
      if (roll < 0.3) {
        const op = randomEdit(r, p.text, p.name);
        p.text = op.apply(p.text);
        p.client.applyClient(op);
      } else if (roll < 0.45 && outbox.length) {
        const q = outbox.shift();
        const { published: entry } = server.submit(q.client.submission());
        const m = { ...entry, name: q.name };
        published.push(m);
        for (const each of pages) each.inbox.push(m);
      } else if (roll < 0.8 && p.inbox.length) {
        p.client.receive([p.inbox.shift()]);
      } else if (roll < 0.9 && !p.tracker) {
        // "Show authors" switched on: the runs are asked for now and arrive a little later.
        p.tracker = new AuthorshipTracker(p.client.revision);
        p.loads.push(p.client.revision);
      } else if (p.loads.length) {
        const at = p.loads.shift();
        assert.ok(p.tracker.load(at, serverRuns(at)));
      }
      for (const each of pages) check(each, `step ${step}`);
    }

    // Everything arrives: each page shows what a reload would.
    while (outbox.length || pages.some((p) => p.inbox.length || p.loads.length || !p.tracker)) {
      if (outbox.length) {
        const q = outbox.shift();
        const m = { ...server.submit(q.client.submission()).published, name: q.name };
        published.push(m);
        for (const each of pages) each.inbox.push(m);
      }
      for (const p of pages) {
        if (p.inbox.length) p.client.receive([p.inbox.shift()]);
        if (!p.tracker) {
          p.tracker = new AuthorshipTracker(p.client.revision);
          p.loads.push(p.client.revision);
        } else if (p.loads.length) {
          const at = p.loads.shift();
          p.tracker.load(at, serverRuns(at));
        }
      }
    }
    const final = serverRuns(published.length);
    assert.deepEqual(expand(final), authorsOf(server.text), `seed ${s}, round ${round}: the model itself`);
    for (const p of pages) {
      assert.equal(p.text, server.text, `seed ${s}, round ${round}: ${p.name} converged`);
      assert.deepEqual(p.tracker.shown(p.client.pending(), p.name), final, `seed ${s}, round ${round}: ${p.name}`);
    }
  }
});
