// Text on a coloured background (the name label on another person's cursor) that stays readable:
// black or white, whichever contrasts more with the colour, by WCAG 2.2's relative luminance.
// For any opaque colour one of the two reaches at least 4.58:1, above the 4.5:1 AA asks for text.

/** [r, g, b] in 0..255 of a #rgb, #rrggbb, rgb(...) or hsl(...) colour, or null. */
export function parseColor(color) {
  const c = String(color).trim().toLowerCase();
  let m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(c);
  if (m) {
    const hex = m[1].length === 3 ? [...m[1]].map((d) => d + d).join('') : m[1];
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(c);
  if (m) return [m[1], m[2], m[3]].map((v) => Math.min(255, Number(v)));
  m = /^hsla?\(\s*([\d.]+)(?:deg)?[\s,]+([\d.]+)%[\s,]+([\d.]+)%/.exec(c);
  if (m) return hslToRgb(Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100);
  return null;
}

function hslToRgb(h, s, l) {
  const a = s * Math.min(l, 1 - l);
  const f = (n) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** WCAG relative luminance of [r, g, b] (0..255). */
export function luminance([r, g, b]) {
  const linear = (v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two luminances. */
export function contrast(l1, l2) {
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

/** '#000' or '#fff', whichever reads better on the colour (white when it cannot be read). */
export function textColorOn(color) {
  const rgb = parseColor(color);
  if (!rgb) return '#fff';
  const l = luminance(rgb);
  return contrast(l, 0) > contrast(l, 1) ? '#000' : '#fff';
}
