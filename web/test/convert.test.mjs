import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState } from '@codemirror/state';
import { changesToOperation, operationToChanges } from '../src/convert.js';
import { TextOperation } from '../src/otclient.js';
import { randomOperation, randomText, rng, seed } from './helpers.mjs';

// As in the editor: "\n" is the only line separator, so "\r" is an ordinary
// character and lengths are String.length.
const stateOf = (doc) => EditorState.create({ doc, extensions: EditorState.lineSeparator.of('\n') });

test('a CodeMirror change and its operation do the same', () => {
  const state = stateOf('hello\nworld');
  const tr = state.update({ changes: [{ from: 0, to: 1, insert: 'J' }, { from: 6, insert: 'big ' }, { from: 10, to: 11 }] });
  const op = changesToOperation(tr.changes);
  assert.deepEqual(op.toJSON(), ['J', -1, 5, 'big ', 4, -1]);
  assert.equal(op.apply('hello\nworld'), tr.newDoc.toString());
});

test('an operation becomes changes that do the same', () => {
  const state = stateOf('سلام دنیا');
  const op = TextOperation.fromJSON([5, -4, 'مرحبا', '\n']);
  const tr = state.update({ changes: operationToChanges(op, state.doc.length) });
  assert.equal(tr.newDoc.toString(), op.apply('سلام دنیا'));
  assert.throws(() => operationToChanges(op, 3), /expects 9/);
});

test('random round trips keep the text, including \\r, surrogate pairs and RTL', () => {
  const s = seed();
  for (let run = 0; run < 2000; run++) {
    const r = rng(s + run);
    const text = randomText(r, 12);
    const state = stateOf(text);
    assert.equal(state.doc.length, text.length);
    assert.equal(state.doc.toString(), text);

    // operation -> changes
    const op = randomOperation(r, text);
    const tr = state.update({ changes: operationToChanges(op, state.doc.length) });
    assert.equal(tr.newDoc.toString(), op.apply(text), `run ${run} of seed ${s}`);

    // changes -> operation, and back to the same operation
    const back = changesToOperation(tr.changes);
    assert.equal(back.apply(text), tr.newDoc.toString(), `run ${run} of seed ${s}`);
    // TextOperation keeps one form (inserts before deletes, parts merged), so the same edit is the same op.
    assert.deepEqual(back.toJSON(), op.toJSON(), `run ${run} of seed ${s}`);
  }
});
