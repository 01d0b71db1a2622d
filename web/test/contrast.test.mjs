// The name label on another person's cursor: black or white text, chosen for WCAG contrast of at
// least 4.5:1 on every colour the server hands out (collab/Sessions.java) and on the page's fallback.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { contrast, luminance, parseColor, textColorOn } from '../src/contrast.js';

const sessions = await readFile(new URL('../../src/main/java/org/convene/collab/Sessions.java', import.meta.url), 'utf8');
const palette = [...sessions.slice(sessions.indexOf('COLORS = {'), sessions.indexOf('};', sessions.indexOf('COLORS = {')))
  .matchAll(/"(#[0-9a-fA-F]{6})"/g)].map((m) => m[1]);

function ratio(text, background) {
  return contrast(luminance(parseColor(text)), luminance(parseColor(background)));
}

test('the server’s palette is read', () => {
  assert.equal(palette.length, 12);
});

test('every palette colour gets a label text of at least 4.5:1', () => {
  for (const colour of palette) {
    const text = textColorOn(colour);
    assert.ok(ratio(text, colour) >= 4.5, `${text} on ${colour}: ${ratio(text, colour).toFixed(2)}:1`);
  }
});

test('the colours the issue found too light for white get black', () => {
  assert.equal(textColorOn('#bcbd22'), '#000');
  assert.equal(textColorOn('#17becf'), '#000');
  assert.equal(textColorOn('#393b79'), '#fff');
});

test('the fallback colours (safeColor: hsl(h, 65%, 40%)) and any grey reach 4.5:1 too', () => {
  for (let h = 0; h < 360; h += 5) {
    const colour = `hsl(${h}, 65%, 40%)`;
    assert.ok(ratio(textColorOn(colour), colour) >= 4.5, colour);
  }
  for (let v = 0; v < 256; v += 3) {
    const colour = `rgb(${v}, ${v}, ${v})`;
    assert.ok(ratio(textColorOn(colour), colour) >= 4.5, colour);
  }
});

test('WCAG luminance and contrast, against known values', () => {
  assert.equal(ratio('#000', '#fff'), 21);
  assert.equal(ratio('#fff', '#fff'), 1);
  assert.equal(ratio('#fff', '#bcbd22').toFixed(1), '2.0');
  assert.deepEqual(parseColor('hsl(120, 100%, 25%)'), [0, 128, 0]);
  assert.equal(parseColor('not a colour'), null);
});
