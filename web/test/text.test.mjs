import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowed, clean, cleanName, nameProblem } from '../src/text.js';

test('the refused characters are those the server refuses', () => {
  let refused = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (!allowed(cp)) refused++;
  }
  // 29 C0 controls (all but tab, LF, CR), DEL and 32 C1 controls, 66 noncharacters: as common.Text.
  assert.equal(refused, 29 + 33 + 66);
  assert.ok(allowed(0x09) && allowed(0x0a) && allowed(0x0d) && allowed(0x200c) && allowed(0x202e));
});

test('pasted text loses what the server would refuse, and nothing else', () => {
  assert.equal(clean('a\u0000b\u0085c\uFFFEd\uD800e'), 'abcde');
  assert.equal(clean('\u{1FFFF}x\u{10FFFF}'), 'x');
  const fine = 'نحن\u200Cهنا 😀\tline\r\nnext \u202Eok';
  assert.equal(clean(fine), fine);
  assert.equal(clean(''), '');
});

test('names are cleaned and checked as the server does', () => {
  assert.equal(cleanName(' \u202EAmal\u202C\n  Yusuf\u2069 '), 'Amal Yusuf');
  for (const bad of ['', '\u200B', '\u3164', '\u2800', '\u0301', 'Initial text', 'INITIAL-TEXT', 'Initial\u200Btext', 'a\u0007']) {
    assert.notEqual(nameProblem(cleanName(bad)), null, JSON.stringify(bad));
  }
  for (const good of ['Amal', 'مریم', 'Ali\u200Dx', '李', 'Initial texts', '😀']) {
    assert.equal(nameProblem(cleanName(good)), null, good);
  }
});
