// Small DOM helpers shared by the pages. User-supplied strings only ever go
// through textContent or attribute setters, never through innerHTML.

export function el(id) {
  return document.getElementById(id);
}

export function show(id, visible) {
  el(id).hidden = !visible;
}

/**
 * The capability token from the fragment (#token=...). Tokens travel in the
 * fragment so that they never reach server logs or Referer headers.
 */
export function readToken(hash = location.hash) {
  // Not URLSearchParams: it would turn a "+" (as in base64) into a space.
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part.startsWith('token=')) continue;
    let token = part.slice('token='.length);
    try { token = decodeURIComponent(token); } catch (e) { /* not encoded */ }
    return token.trim() || null;
  }
  return null;
}

/** A colour safe to put in a style attribute; otherwise one derived from the id. */
export function safeColor(color, clientId = '') {
  if (typeof color === 'string' && color.length <= 64 && /^[#\w(),.%\s-]+$/.test(color) &&
      (typeof CSS === 'undefined' || CSS.supports('color', color))) {
    return color;
  }
  let h = 0;
  for (let i = 0; i < clientId.length; i++) h = (h * 31 + clientId.charCodeAt(i)) % 360;
  return `hsl(${h}, 65%, 40%)`;
}

/**
 * A panel that is a sheet over the whole page on a phone (position: fixed): Tab and Shift+Tab go
 * round inside it rather than on to what the sheet hides. `heading` is where the focus lands on
 * opening (Shift+Tab from it goes to the last stop).
 */
export function keepTabInSheet(panel, heading) {
  panel.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || getComputedStyle(panel).position !== 'fixed') return;
    const stops = [...panel.querySelectorAll('a[href], button, input:not([type="radio"]), input[type="radio"]:checked, select, textarea, [tabindex="0"]')]
      .filter((n) => !n.disabled && n.getClientRects().length > 0);
    if (stops.length === 0) return;
    const at = document.activeElement;
    if (!e.shiftKey && at === stops[stops.length - 1]) {
      e.preventDefault();
      stops[0].focus();
    } else if (e.shiftKey && (at === stops[0] || at === heading)) {
      e.preventDefault();
      stops[stops.length - 1].focus();
    }
  });
}
