// What text may hold: the server's rule (org.convene.common.Text), so that pasted text never
// carries a character the server would refuse (which would cost the whole edit).

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
