// Pure helpers of the versions panel and the public page: turning the API's
// diffs and authorship runs into pieces to render, colours for authors, and
// the API calls. No DOM here, so node tests cover it.

import { formatDate, formatRelative, t } from './i18n.js';

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
 * no participant can be (names need a visible character, and "Initial text" is refused). Pages
 * pass `initial`, the catalog's versions.initialText, in the interface's language: there is no
 * English default to fall back on unseen.
 */
export function authorName(name, initial) {
  return isInitialText(name) ? initial : name;
}

export function isInitialText(name) {
  return name === '';
}

/** A label for an author: the initial text's credit is set apart (class initial-credit), never a name. */
export function authorLabel(name, suffix, initial) {
  const label = document.createElement('span');
  label.dir = 'auto';
  label.textContent = `${authorName(name, initial)}${suffix}`; // never HTML
  if (isInitialText(name)) label.className = 'initial-credit';
  return label;
}

/** "2025-05-01T09:30:00.000Z" → a short date and time in the interface's language. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatDate(d);
}

const UNITS = [['year', 365 * 86400], ['month', 30 * 86400], ['week', 7 * 86400], ['day', 86400], ['hour', 3600], ['minute', 60]];

/**
 * How long ago `iso` was, as Intl.RelativeTimeFormat takes it: {value: -3, unit: 'minute'}, the
 * largest unit that fits ("0 seconds" under a minute, which the format says as "now"); null
 * without a date. A time a little ahead (clocks differ) counts as now.
 */
export function ago(iso, nowMs = Date.now()) {
  const t = iso ? new Date(iso).getTime() : NaN;
  if (Number.isNaN(t)) return null;
  const seconds = Math.max(0, Math.round((nowMs - t) / 1000));
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return { value: -Math.floor(seconds / size), unit };
  }
  return { value: 0, unit: 'second' };
}

/** "3 minutes ago" for an ISO time, in the interface's language; "" without one. */
export function relative(iso, nowMs = Date.now()) {
  const a = ago(iso, nowMs);
  return a ? formatRelative(a.value, a.unit) : '';
}

/** Text from a person (a name) kept in its own direction inside a sentence (FSI ... PDI, as <bdi>). */
export function isolate(text) {
  return `\u2068${text}\u2069`;
}

/** A version as a choice in a list: its number, name and date. */
export function versionChoice(v) {
  return t('versions.point.version', { number: v.number, name: isolate(v.name), date: when(v.createdAt) });
}

/** A revision as a person reads it: the first text, or edit n and when it was made. */
export function editChoice(revision, time, nowMs = Date.now()) {
  if (revision === 0) return t('versions.point.start');
  return time ? t('versions.point.edit', { number: revision, ago: relative(time, nowMs) })
    : t('versions.point.editUntimed', { number: revision });
}

/**
 * A point of the API ("v3", "r120") in a sentence: "Version 3", "Now" (the live revision
 * `latest`), "The first text", "Edit 120"; never the bare point.
 */
export function pointName(point, latest) {
  const n = Number(point.slice(1));
  if (point[0] === 'v') return t('versions.short.version', { number: n });
  if (n === latest) return t('versions.short.now');
  if (n === 0) return t('versions.short.start');
  return t('versions.short.edit', { number: n });
}

/**
 * What to compare when nobody has chosen: the version before the last against the last; with one
 * version, it against now; with none, the first text against now. `versions` in the API's order
 * (oldest first); values are the API's points ("v3", "r0", "r120" for now).
 */
export function compareDefaults(versions, latest) {
  const named = versions.map((v) => `v${v.number}`);
  const now = `r${latest}`;
  if (named.length >= 2) return { from: named[named.length - 2], to: named[named.length - 1] };
  if (named.length === 1) return { from: named[0], to: now };
  return { from: 'r0', to: now };
}

/**
 * What went wrong with a call, in words a person can act on: 'offline' (no answer: network or
 * server down), 'denied' (401/403), 'missing' (404), 'invalid' (400), 'busy' (429), 'server'.
 */
export function problemOf(err) {
  const status = err && err.status;
  if (!status || status === 502 || status === 503 || status === 504) return 'offline';
  if (status === 401 || status === 403) return 'denied';
  if (status === 404) return 'missing';
  if (status === 400 || status === 409 || status === 413) return 'invalid';
  if (status === 429) return 'busy';
  return 'server';
}

/** Calls the REST API with the token; throws an Error with the server's message on failure. */
export async function call(path, token, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    e.status = 0; // no answer at all: offline, or the server is down
    e.offline = true;
    throw e;
  }
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
