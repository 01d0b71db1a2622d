// The text a manifesto started with is credited in the interface's language wherever an author is
// named: every call of authorName and authorLabel passes the catalog's words (an English default
// once showed "Initial text" in the Arabic editor's authors legend).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const SRC = new URL('../src/', import.meta.url);

/** The top-level arguments of each call of fn in source (definitions and imports left out). */
function calls(source, fn) {
  const found = [];
  const re = new RegExp(`(?<![\\w.])${fn}\\(`, 'g');
  for (let m; (m = re.exec(source));) {
    const before = source.slice(Math.max(0, m.index - 9), m.index);
    if (before.endsWith('function ')) continue;
    let depth = 0;
    let arg = '';
    const args = [];
    for (let i = m.index + fn.length; i < source.length; i++) {
      const ch = source[i];
      if ('([{'.includes(ch)) depth++;
      if (')]}'.includes(ch)) depth--;
      if (depth === 0) { args.push(arg.trim()); break; }
      if (depth === 1 && ch === ',') { args.push(arg.trim()); arg = ''; } else if (!(depth === 1 && ch === '(')) arg += ch;
    }
    found.push(args.filter(Boolean));
  }
  return found;
}

test('every author label names the initial text from the catalog', () => {
  const wrong = [];
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(new URL(file, SRC), 'utf8');
    for (const [fn, at] of [['authorName', 1], ['authorLabel', 2]]) {
      for (const args of calls(source, fn)) {
        if (file === 'versions.js' && args[at] === 'initial') continue; // authorLabel handing its own on
        if (!/^t\('versions\.initialText'\)$/.test(args[at] || '')) wrong.push(`${file}: ${fn}(${args.join(', ')})`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

test('the call finder sees what it must', () => {
  assert.deepEqual(calls("x(authorName(a.b(c), t('versions.initialText')))", 'authorName'), [['a.b(c)', "t('versions.initialText')"]]);
  assert.deepEqual(calls('function authorName(name, initial) {}', 'authorName'), []);
});
