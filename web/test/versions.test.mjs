import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attributed, authorColor, authorTotals, dispositionName, pdfPath, sides, summary,
} from '../src/versions.js';

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
