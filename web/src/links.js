// The three links of a new manifesto, and what the links page keeps and hands out. Pure, so that
// the node tests can check it.

/** The admin, edit and view links of a creation answer ({id, tokens}), on this origin. */
export function linksOf(origin, reply) {
  const base = `${origin}/m/${encodeURIComponent(reply.id)}`;
  return {
    admin: `${base}/admin#token=${encodeURIComponent(reply.tokens.admin)}`,
    editor: `${base}/edit#token=${encodeURIComponent(reply.tokens.editor)}`,
    viewer: `${base}/view#token=${encodeURIComponent(reply.tokens.viewer)}`,
  };
}

/**
 * A file name from the manifesto's title: what file systems refuse (/ \ : * ? " < > | and control
 * characters) becomes a space, runs of spaces one, at most 80 characters; `fallback` when nothing is left.
 */
export function safeFileName(title, fallback) {
  const cleaned = String(title || '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  return Array.from(cleaned).slice(0, 80).join('').trim() || fallback;
}

/**
 * What the tab remembers between reloads (sessionStorage: this tab only, gone when it closes),
 * or null when the stored value is not a creation answer.
 */
export function readKept(raw) {
  if (typeof raw !== 'string') return null;
  try {
    const kept = JSON.parse(raw);
    const ok = kept && typeof kept.id === 'string' && kept.tokens
      && ['admin', 'editor', 'viewer'].every((r) => typeof kept.tokens[r] === 'string');
    return ok ? { id: kept.id, title: String(kept.title || ''), tokens: kept.tokens, emailLinks: kept.emailLinks === true } : null;
  } catch (e) {
    return null;
  }
}
