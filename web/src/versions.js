// Pure helpers of the versions panel and the public page: turning the API's
// diffs and authorship runs into pieces to render, colours for authors, and
// the API calls. No DOM here, so node tests cover it.

/** The side-by-side form of a diff: the old text (equal + delete) and the new (equal + insert). */
export function sides(changes) {
  const left = [];
  const right = [];
  for (const c of changes) {
    if (c.op !== 'insert') left.push(c);
    if (c.op !== 'delete') right.push(c);
  }
  return { left, right };
}

/** Counts for a one-line summary: words inserted, deleted, paragraphs moved. */
export function summary(changes) {
  const words = (t) => (t.match(/[\p{L}\p{N}]+/gu) || []).length;
  let inserted = 0;
  let deleted = 0;
  const moves = new Set();
  for (const c of changes) {
    if (c.move) moves.add(c.move);
    else if (c.op === 'insert') inserted += words(c.text);
    else if (c.op === 'delete') deleted += words(c.text);
  }
  return { inserted, deleted, moved: moves.size };
}

/**
 * Cuts a text into [{text, author}] along authorship runs ({author, length} in
 * UTF-16 units, as the server counts). Runs never split a surrogate pair, as
 * edits never do; a mismatch in total length is reported, not hidden.
 */
export function attributed(text, runs) {
  const out = [];
  let at = 0;
  for (const r of runs) {
    if (r.length <= 0) continue;
    out.push({ text: text.slice(at, at + r.length), author: r.author });
    at += r.length;
  }
  if (at !== text.length) throw new Error(`authorship covers ${at} of ${text.length} characters`);
  return out;
}

/** Characters per author, most first. */
export function authorTotals(runs) {
  const totals = new Map();
  for (const r of runs) totals.set(r.author, (totals.get(r.author) || 0) + r.length);
  return [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** A stable, light background colour per author (dark text stays readable on it). */
export function authorColor(name) {
  if (!name) return 'hsl(0, 0%, 92%)'; // the text the manifesto started with
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
  return `hsl(${h}, 75%, 86%)`;
}

/**
 * The display name of an author; "" is the text the manifesto was created with, a kind of author
 * no participant can be (names need a visible character, and "Initial text" is refused).
 */
export function authorName(name) {
  return isInitialText(name) ? 'Initial text' : name;
}

export function isInitialText(name) {
  return name === '';
}

/** A label for an author: the initial text's credit is set apart (class initial-credit), never a name. */
export function authorLabel(name, suffix = '') {
  const label = document.createElement('span');
  label.dir = 'auto';
  label.textContent = `${authorName(name)}${suffix}`; // never HTML
  if (isInitialText(name)) label.className = 'initial-credit';
  return label;
}

/** "2025-05-01T09:30:00.000Z" → a short local date and time. */
export function when(iso, locale) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Calls the REST API with the token; throws an Error with the server's message on failure. */
export async function call(path, token, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reply = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error(reply && typeof reply.message === 'string' ? reply.message : `HTTP ${res.status}`);
    err.status = res.status;
    err.fields = reply && reply.fields;
    throw err;
  }
  return reply;
}

/** The PDF edition of version n (print or reading) at the REST endpoint. */
export function pdfPath(doc, number, edition) {
  return `/api/manifestos/${encodeURIComponent(doc)}/versions/${number}/pdf?edition=${encodeURIComponent(edition)}`;
}

/** The file name in a Content-Disposition header (filename* first), or a fallback. */
export function dispositionName(header, fallback) {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header || '');
  if (star) {
    try { return decodeURIComponent(star[1]); } catch (e) { /* fall through */ }
  }
  const plain = /filename="([^"]+)"/i.exec(header || '');
  return plain ? plain[1] : fallback;
}

/**
 * An unpublished version's PDF needs the token, which never goes into a URL: fetch it with the
 * Authorization header and save it from a blob.
 */
export async function downloadPdf(path, token, fallbackName) {
  const res = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, credentials: 'same-origin' });
  if (!res.ok) {
    const reply = await res.json().catch(() => null);
    throw new Error(reply && typeof reply.message === 'string' ? reply.message : `HTTP ${res.status}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = dispositionName(res.headers.get('Content-Disposition'), fallbackName);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
