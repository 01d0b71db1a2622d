// The links page's pure parts: the three links, the download's file name, what a tab keeps.

import assert from 'node:assert/strict';
import test from 'node:test';
import { linksOf, readKept, safeFileName } from '../src/links.js';

const reply = { id: 'abc_-1', title: 'Bread', tokens: { admin: 'a+b/c', editor: 'ed', viewer: 'vi' } };

test('the three links carry their token in the fragment, encoded', () => {
  assert.deepEqual(linksOf('https://convene.test', reply), {
    admin: 'https://convene.test/m/abc_-1/admin#token=a%2Bb%2Fc',
    editor: 'https://convene.test/m/abc_-1/edit#token=ed',
    viewer: 'https://convene.test/m/abc_-1/view#token=vi',
  });
});

test('a file name keeps the title’s words and drops what file systems refuse', () => {
  assert.equal(safeFileName('Bread and roses', 'x'), 'Bread and roses');
  assert.equal(safeFileName('a/b\\c:d*e?"f"<g>|h', 'x'), 'a b c d e f g h');
  assert.equal(safeFileName('خبز و ورود', 'x'), 'خبز و ورود');
  assert.equal(safeFileName('\u202etxt.exe', 'x'), 'txt.exe', 'no bidi override to disguise the extension');
  assert.equal(safeFileName('...', 'manifesto'), 'manifesto');
  assert.equal(safeFileName('', 'manifesto'), 'manifesto');
  assert.equal(Array.from(safeFileName('词'.repeat(200), 'x')).length, 80);
});

test('a tab keeps only a well-formed creation answer', () => {
  assert.deepEqual(readKept(JSON.stringify({ ...reply, emailLinks: true })), { ...reply, emailLinks: true });
  assert.equal(readKept(null), null);
  assert.equal(readKept('{'), null);
  assert.equal(readKept(JSON.stringify({ id: 'x', tokens: { admin: 'a' } })), null);
});
