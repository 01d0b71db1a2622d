import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MARK, blockEnd, caretFor, isolate, markerAt, markerOf, missingMarkers, sameName, unitSpans } from '../src/translate-text.js';

// A translation document: text before any unit, then units 1 (two lines), 12 (empty) and 2.
const DOC = `stray\n${MARK}1\nالماء حق\nللجميع.\n${MARK}12\n\n${MARK}2\nلا يُقطع الماء`;

test('marker lines name their unit; nothing else is one', () => {
  assert.equal(markerOf(`${MARK}12`), 12);
  assert.equal(markerOf(`${MARK}12 `), -1);
  assert.equal(markerOf('12'), -1);
  assert.equal(markerOf(`x${MARK}1`), -1);
});

test('each unit spans the lines up to the next marker (the source cell spans as many grid rows)', () => {
  assert.deepEqual(unitSpans(DOC.split('\n')), [
    { unit: 1, line: 2, lines: 2 },
    { unit: 12, line: 5, lines: 1 },
    { unit: 2, line: 7, lines: 1 },
  ]);
  assert.deepEqual(unitSpans(['no markers']), []);
});

test('a marker is found whole: unit 1 is not the start of unit 12', () => {
  assert.equal(markerAt(DOC, 1), DOC.indexOf(`${MARK}1\n`));
  assert.equal(markerAt(DOC, 12), DOC.indexOf(`${MARK}12`));
  assert.equal(markerAt(DOC, 3), -1);
  assert.equal(blockEnd(DOC, markerAt(DOC, 1)), DOC.indexOf(`${MARK}12`));
  assert.equal(blockEnd(DOC, markerAt(DOC, 2)), DOC.length);
});

test('the caret for a unit goes to the end of its translation, never onto a marker line', () => {
  assert.equal(caretFor(DOC, 1), DOC.indexOf('للجميع.') + 'للجميع.'.length);
  assert.equal(caretFor(DOC, 12), DOC.indexOf(`${MARK}12`) + 4); // its empty line
  assert.equal(caretFor(DOC, 2), DOC.length);
  assert.equal(caretFor(DOC, 9), -1);
  assert.equal(caretFor(`${MARK}4`, 4), 2);
});

test('units new in the source get a marker after the unit before them, in source order', () => {
  const text = `${MARK}1\nun\n${MARK}3\ntrois`;
  const changes = missingMarkers(text, [1, 2, 3, 4]);
  assert.deepEqual(changes, [
    { from: text.indexOf(`${MARK}3`), insert: `${MARK}2\n\n` },
    { from: text.length, insert: `\n${MARK}4\n\n` },
  ]);
  assert.deepEqual(missingMarkers(text, [1, 3]), []);
});

test('names compare as the server compares them; isolated names keep a sentence in order', () => {
  assert.ok(sameName(' Amal ', 'amal'));
  assert.ok(sameName('ﬁ', 'fi')); // NFKC
  assert.ok(!sameName('Amal', 'Farid'));
  assert.ok(!sameName('Amal', null));
  assert.equal(isolate('أمل'), '\u2068أمل\u2069');
});
