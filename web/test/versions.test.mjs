import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ago, attributed, authorColor, authorName, authorTotals, compareDefaults, dispositionName, editChoice, pdfPath,
  pointName, problemOf, sides, summary, versionChoice,
} from '../src/versions.js';
import { publicAddress } from '../src/versions-public.js';
import { useCatalog } from '../src/i18n.js';
import { readCatalogs } from '../lib/catalogs.mjs';

const catalogs = await readCatalogs();

const changes = [
  { op: 'equal', text: 'نحن نطالب ' },
  { op: 'delete', text: 'بالحقوق' },
  { op: 'insert', text: 'بالعدالة' },
  { op: 'equal', text: ' للجميع.\n' },
  { op: 'delete', text: 'A paragraph that moved.', move: 1 },
  { op: 'insert', text: 'A paragraph that moved.', move: 1 },
];

test('side by side keeps each text whole', () => {
  const { left, right } = sides(changes);
  assert.equal(left.map((c) => c.text).join(''), 'نحن نطالب بالحقوق للجميع.\nA paragraph that moved.');
  assert.equal(right.map((c) => c.text).join(''), 'نحن نطالب بالعدالة للجميع.\nA paragraph that moved.');
});

test('the summary counts words in any script and moves once', () => {
  assert.deepEqual(summary(changes), { inserted: 1, deleted: 1, moved: 1 });
});

test('authorship runs cut the text in UTF-16 units, emoji included', () => {
  const parts = attributed('Hi 😀 سلام', [{ author: 'Amal', length: 5 }, { author: '', length: 5 }]);
  assert.deepEqual(parts, [{ text: 'Hi 😀', author: 'Amal' }, { text: ' سلام', author: '' }]);
  assert.throws(() => attributed('abc', [{ author: 'x', length: 2 }]), /covers 2 of 3/);
});

test('totals and colours are stable', () => {
  assert.deepEqual(authorTotals([{ author: 'b', length: 2 }, { author: 'a', length: 2 }, { author: 'b', length: 1 }]),
    [['b', 3], ['a', 2]]);
  assert.equal(authorColor('Leila'), authorColor('Leila'));
  assert.notEqual(authorColor('Leila'), authorColor('Farid'));
  assert.match(authorColor('نادیا'), /^hsl\(\d+, 75%, 86%\)$/);
});

test('PDF links name the endpoint and file names come from Content-Disposition', () => {
  assert.equal(pdfPath('ab c', 3, 'reading'), '/api/manifestos/ab%20c/versions/3/pdf?edition=reading');
  assert.equal(dispositionName('inline; filename="charter-v1-print.pdf"', 'x.pdf'), 'charter-v1-print.pdf');
  assert.equal(dispositionName("inline; filename=\"manifesto-v2-print.pdf\"; filename*=UTF-8''%D9%86%D8%AD%D9%86-v2-print.pdf", 'x.pdf'),
    'نحن-v2-print.pdf');
  assert.equal(dispositionName(null, 'x.pdf'), 'x.pdf');
});

test('Compare starts from the version before the last, and follows new versions', () => {
  const v = (number) => ({ number, name: `n${number}`, createdAt: '2026-01-01T00:00:00Z' });
  assert.deepEqual(compareDefaults([], 12), { from: 'r0', to: 'r12' });
  assert.deepEqual(compareDefaults([v(1)], 12), { from: 'v1', to: 'r12' });
  assert.deepEqual(compareDefaults([v(1), v(2)], 12), { from: 'v1', to: 'v2' });
  assert.deepEqual(compareDefaults([v(1), v(2), v(3)], 30), { from: 'v2', to: 'v3' });
});

test('how long ago, in the largest unit that fits', () => {
  const now = Date.parse('2026-11-30T10:00:00Z');
  assert.deepEqual(ago('2026-11-30T09:59:30Z', now), { value: 0, unit: 'second' });
  assert.deepEqual(ago('2026-11-30T09:57:00Z', now), { value: -3, unit: 'minute' });
  assert.deepEqual(ago('2026-11-30T07:00:00Z', now), { value: -3, unit: 'hour' });
  assert.deepEqual(ago('2026-11-28T10:00:00Z', now), { value: -2, unit: 'day' });
  assert.deepEqual(ago('2026-11-30T10:00:05Z', now), { value: 0, unit: 'second' }, 'a clock a little ahead is now');
  assert.equal(ago(null, now), null);
  assert.equal(ago('not a date', now), null);
});

test('points of the history read as words in every language, never as r89', () => {
  const now = Date.parse('2026-11-30T10:00:00Z');
  const v = { number: 3, name: 'Second reading', createdAt: '2026-11-29T10:00:00Z' };
  useCatalog('en', catalogs.en);
  assert.equal(pointName('v3', 120), 'Version 3');
  assert.equal(pointName('r120', 120), 'Now');
  assert.equal(pointName('r0', 120), 'The first text');
  assert.equal(pointName('r89', 120), 'Edit 89');
  assert.equal(editChoice(89, '2026-11-30T09:57:00Z', now), 'Edit 89 · 3 minutes ago');
  assert.equal(editChoice(89, null, now), 'Edit 89');
  assert.match(versionChoice(v), /^Version 3 · \u2068Second reading\u2069 · Nov 29, 2026/);
  assert.equal(authorName('', 'Initial text'), 'Initial text');
  for (const tag of ['es', 'fr', 'ar', 'fa', 'zh']) {
    useCatalog(tag, catalogs[tag]);
    for (const label of [pointName('v3', 120), pointName('r89', 120), editChoice(89, '2026-11-30T09:57:00Z', now), versionChoice(v)]) {
      assert.doesNotMatch(label, /\br\d|versions\./, `${tag}: ${label}`);
    }
  }
  useCatalog('fa', catalogs.fa);
  assert.equal(pointName('v3', 120), 'نسخهٔ ۳', 'the language’s own digits, as Intl writes them');
  useCatalog('en', catalogs.en);
});

test('what went wrong, by kind: no answer is "offline", never the raw message', () => {
  assert.equal(problemOf(Object.assign(new TypeError('Failed to fetch'), { status: 0 })), 'offline');
  assert.equal(problemOf(new Error('x')), 'offline');
  assert.equal(problemOf({ status: 503 }), 'offline');
  assert.equal(problemOf({ status: 403 }), 'denied');
  assert.equal(problemOf({ status: 404 }), 'missing');
  assert.equal(problemOf({ status: 400 }), 'invalid');
  assert.equal(problemOf({ status: 429 }), 'busy');
  assert.equal(problemOf({ status: 500 }), 'server');
});

test('the public address is absolute and its id encoded', () => {
  assert.equal(publicAddress('abc_-12', 'https://convene.example'), 'https://convene.example/p/abc_-12');
  assert.equal(publicAddress('a/b', 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080/p/a%2Fb');
});
