// CodeMirror ChangeSet <-> ot.js TextOperation. Both count UTF-16 code units,
// and the editor is configured with "\n" as its only line separator, so a
// document's length in CodeMirror equals its String.length on the server.

import { TextOperation } from './otclient.js';

/**
 * The operation that does what `changes` (a ChangeSet over a document of
 * changes.length characters) does.
 */
export function changesToOperation(changes) {
  const op = new TextOperation();
  let pos = 0; // position in the old document reached so far
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    op.retain(fromA - pos); // retain/insert/delete ignore zero-length parts
    op.insert(inserted.toString());
    op.delete(toA - fromA);
    pos = toA;
  });
  op.retain(changes.length - pos);
  return op;
}

/**
 * ChangeSpecs for EditorState.update/EditorView.dispatch that do what `op`
 * does. All positions refer to the document before the change, as a list of
 * specs in one transaction requires.
 * @throws {Error} when op does not apply to a document of docLength characters
 */
export function operationToChanges(op, docLength) {
  if (op.baseLength !== docLength) {
    throw new Error(`operation expects ${op.baseLength} characters, the text has ${docLength}`);
  }
  const specs = [];
  let pos = 0;
  for (const part of op.ops) {
    if (TextOperation.isRetain(part)) {
      pos += part;
    } else if (TextOperation.isInsert(part)) {
      specs.push({ from: pos, insert: part });
    } else {
      specs.push({ from: pos, to: pos - part });
      pos -= part;
    }
  }
  return specs;
}
