// The translation document's text (docs/translations.md): for each source unit, a marker line
// (U+E000 and the unit's id), then the unit's translation up to the next marker line. Pure helpers
// for the translator's view, tested in web/test/translate.test.mjs.

export const MARK = '\uE000';
const MARKER = /^\uE000(\d+)$/;

/** The unit id of a marker line's text, or -1 when the line is not a marker. */
export function markerOf(line) {
  const m = MARKER.exec(line);
  return m ? Number(m[1]) : -1;
}

/**
 * Each marker line of `lines` (the document's lines, first is 1 as in CodeMirror) with the number
 * of translation lines after it: [{unit, line, lines}], in the document's order.
 */
export function unitSpans(lines) {
  const out = [];
  lines.forEach((text, i) => {
    const unit = markerOf(text);
    if (unit >= 0) out.push({ unit, line: i + 1, lines: 0 });
    else if (out.length) out[out.length - 1].lines++;
  });
  return out;
}

/** Where the marker line of `unit` starts in `text`, or -1. */
export function markerAt(text, unit) {
  const line = `${MARK}${unit}`;
  for (let at = text.indexOf(line); at >= 0; at = text.indexOf(line, at + 1)) {
    const end = at + line.length;
    if ((at === 0 || text[at - 1] === '\n') && (end === text.length || text[end] === '\n')) return at;
  }
  return -1;
}

/** The end of the block that starts with the marker at `markerAt`: the next marker line's start, or the text's end. */
export function blockEnd(text, markerStart) {
  const next = text.indexOf(`\n${MARK}`, markerStart + 1);
  return next < 0 ? text.length : next + 1;
}

/** Where a caret goes to write a unit's translation: the end of its text, never on the marker line. */
export function caretFor(text, unit) {
  const at = markerAt(text, unit);
  if (at < 0) return -1;
  const firstLine = text.indexOf('\n', at);
  if (firstLine < 0) return text.length;
  let end = blockEnd(text, at);
  if (text[end - 1] === '\n') end--;
  return Math.max(end, firstLine + 1);
}

/**
 * The changes that give each unit of `order` missing from `text` its marker line (and an empty
 * line for its translation), after the block of the unit before it.
 */
export function missingMarkers(text, order) {
  const present = new Set(text.split('\n').map(markerOf).filter((u) => u >= 0));
  const changes = [];
  let after = 0;
  for (const unit of order) {
    if (present.has(unit)) {
      after = blockEnd(text, markerAt(text, unit));
      continue;
    }
    const prefix = after > 0 && text[after - 1] !== '\n' ? '\n' : '';
    changes.push({ from: after, insert: `${prefix}${MARK}${unit}\n\n` });
  }
  return changes;
}

/** The same name, as the server compares a reviewer's with a translator's: trimmed, NFKC, case folded. */
export function sameName(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const norm = (s) => s.trim().normalize('NFKC').toLowerCase();
  return norm(a) === norm(b);
}

/** A person's name inside a sentence: isolated (FSI ... PDI), so its script cannot reorder the sentence. */
export function isolate(name) {
  return `\u2068${name}\u2069`;
}
