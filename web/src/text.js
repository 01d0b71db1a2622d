// What text may hold: the server's rule (org.convene.common.Text), so that pasted text never
// carries a character the server would refuse (which would cost the whole edit).

import { t } from './i18n.js';

/** Whether text may hold this code point (a surrogate code point here is a lone one). */
export function allowed(cp) {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  if (cp >= 0x7f && cp <= 0x9f) return false; // DEL and the C1 controls
  if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return false; // noncharacters
  return cp < 0xd800 || cp > 0xdfff;
}

/** The text without the characters the server refuses (controls, noncharacters, lone surrogates). */
export function clean(text) {
  let out = '';
  let kept = 0;
  let i = 0;
  for (const ch of text) { // by code point: a lone surrogate comes as itself
    if (!allowed(ch.codePointAt(0))) {
      out += text.slice(kept, i);
      kept = i + ch.length;
    }
    i += ch.length;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;
const VISIBLE = /(?![\p{Default_Ignorable_Code_Point}\u2800])[\p{L}\p{N}\p{P}\p{S}]/u;

/** A name as the server keeps it: without bidi controls, white space runs as one space, trimmed. */
export function cleanName(name) {
  return name.replace(BIDI_CONTROLS, '').replace(/[\s\p{Z}]+/gu, ' ').trim();
}

/** Why the server would refuse this (cleaned) name, or null; the server has the last word. */
export function nameProblem(name) {
  if (!name) return t('editor.name.empty');
  if ([...name].some((ch) => !allowed(ch.codePointAt(0)))) return t('editor.name.controls');
  if (!VISIBLE.test(name)) return t('editor.name.invisible');
  const key = name.normalize('NFKC').toLowerCase()
    .replace(/[\s\p{Z}\p{P}\p{Default_Ignorable_Code_Point}]/gu, '');
  if (key === 'initialtext') return t('editor.name.reserved');
  return null;
}
