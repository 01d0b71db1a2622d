// "Show authors" in the live editor: the text coloured by who wrote it, in the
// colours of the history slider (versions.js), with a legend. The runs come
// from the server once, for the revision the page is at; from then on
// authorship.js keeps them from the operations the page receives and the
// user's own typing, by the server's rules, so a reload shows the same colours.
//
// Invariant: the field's runs, when set, cover the editor's text exactly. The
// server's changes reach the editor with their runs (effects()); the user's
// typing is added to them as the user's own.

import { RangeSetBuilder, StateEffect, StateField, Transaction } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin } from '@codemirror/view';
import { AuthorshipTracker, applyOperation, lengthOf, sameRuns } from './authorship.js';
import { backoffDelay } from './backoff.js';
import { changesToOperation } from './convert.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import { authorColor, authorLabel, authorName, authorTotals, call } from './versions.js';

const SHOW_KEY = 'convene.showAuthors';
const LEGEND_DELAY_MS = 300; // the legend follows typing, but not keystroke by keystroke

/** {runs, me} for the text after the transaction, or null: nothing shown. */
const setAuthors = StateEffect.define();

const authorsField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setAuthors)) return e.value;
    if (!value || !tr.docChanged) return value;
    // The server's changes come with their runs (above): one without is not ours to guess.
    if (tr.annotation(Transaction.remote)) return null;
    try {
      return { runs: applyOperation(value.runs, changesToOperation(tr.changes), value.me), me: value.me };
    } catch (e) {
      return null; // cannot happen while the invariant holds; the page reloads the runs
    }
  },
});

const marks = new Map(); // author -> Decoration

function markOf(author) {
  let mark = marks.get(author);
  if (!mark) {
    // authorColor gives hsl(...) only, safe in a style attribute; attributes are set, never parsed.
    mark = Decoration.mark({
      class: 'cm-author',
      attributes: { style: `background-color: ${authorColor(author)}`, title: authorName(author, t('versions.initialText')), 'data-author': author },
    });
    marks.set(author, mark);
  }
  return mark;
}

/** Marks for the visible part of the text only: a long text costs one walk over the runs. */
function decorate(view) {
  const value = view.state.field(authorsField);
  if (!value || lengthOf(value.runs) !== view.state.doc.length) return Decoration.none;
  const { runs } = value;
  const builder = new RangeSetBuilder();
  let i = 0; // the first run that does not end before the range
  let start = 0; // where runs[i] starts
  for (const { from, to } of view.visibleRanges) {
    while (i < runs.length && start + runs[i].length <= from) start += runs[i++].length;
    for (let j = i, s = start; j < runs.length && s < to; s += runs[j++].length) {
      const a = Math.max(s, from);
      const b = Math.min(s + runs[j].length, to);
      if (a < b) builder.add(a, b, markOf(runs[j].author));
    }
  }
  return builder.finish();
}

/** The editor extension: the runs shown and their marks. */
export const authorColours = [
  authorsField,
  ViewPlugin.fromClass(class {
    constructor(view) {
      this.decorations = decorate(view);
    }

    update(u) {
      if (u.docChanged || u.viewportChanged || u.state.field(authorsField) !== u.startState.field(authorsField)) {
        this.decorations = decorate(u.view);
      }
    }
  }, { decorations: (plugin) => plugin.decorations }),
];

/** The runs shown in the editor, or null. */
export function shownAuthors(state) {
  const value = state.field(authorsField, false);
  return value ? value.runs : null;
}

/**
 * The toolbar toggle, the legend, and keeping the runs. Returns the hooks the page calls:
 * confirmed(op, message) for every server operation (see LiveDocument's editor.confirmed),
 * effects() for the dispatch that applies one, replaced() when the text was replaced, and
 * follow() whenever the page's client may have changed (after each open).
 * @param {object} o
 * @param {EditorView} o.view  with authorColours among its extensions
 * @param {string} o.doc
 * @param {string} o.token
 * @param {() => LiveDocument|null} o.live
 */
export function mountAuthors({ view, doc, token, live }) {
  const base = `/api/manifestos/${encodeURIComponent(doc)}`;
  const toggle = el('authors-toggle');
  const legend = el('authors-legend');
  let enabled = remembered();
  let tracker = null; // AuthorshipTracker of `client`
  let client = null;
  let failures = 0;
  let retryTimer = null;
  let legendTimer = null;
  let legendKey = null;
  let publishing = false;

  toggle.hidden = false;
  toggle.addEventListener('click', () => {
    enabled = !enabled;
    try { localStorage.setItem(SHOW_KEY, enabled ? '1' : '0'); } catch (e) { /* private mode */ }
    if (enabled) follow();
    else stop();
    renderToggle();
  });
  view.dispatch({
    effects: StateEffect.appendConfig.of(EditorView.updateListener.of((u) => {
      if (u.state.field(authorsField) !== u.startState.field(authorsField)) legendSoon();
    })),
  });
  renderToggle();

  function me() {
    return live() ? live().name : '';
  }

  /** Follows the page's current client: starts when shown and not following it yet. */
  function follow() {
    const l = live();
    if (!enabled || !l || !l.client || (tracker && client === l.client)) return;
    start(l.client);
  }

  function start(c) {
    clearTimeout(retryTimer);
    client = c;
    tracker = new AuthorshipTracker(c.revision);
    show(null);
    load();
  }

  function stop() {
    clearTimeout(retryTimer);
    tracker = null;
    client = null;
    show(null);
  }

  /** Something does not add up (or the server did not answer): start again a little later. */
  function again(why) {
    if (why) console.warn('authorship:', why);
    tracker = null;
    client = null;
    show(null);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(follow, backoffDelay(failures++, 1000, 30000));
  }

  async function load() {
    const t = tracker;
    const at = t.loadingAt;
    let reply;
    try {
      reply = await call(`${base}/revisions/${at}?authors=true`, token);
    } catch (e) {
      if (t === tracker && t.loadingAt === at) again(e.message);
      return;
    }
    if (t !== tracker) return;
    try {
      if (!t.load(at, reply.runs)) return; // a restore came meanwhile: its own load follows
    } catch (e) {
      again(e.message);
      return;
    }
    failures = 0;
    publish();
  }

  function confirmed(op, m) {
    if (!tracker) return;
    if (!live() || live().client !== client) {
      follow();
      return;
    }
    try {
      if (tracker.server(m, op)) load();
    } catch (e) {
      again(e.message);
      return;
    }
    // A remote operation reaches the editor right after this, with its runs (effects()); our own
    // needs nothing, unless the server knew us by another name. Check once the batch is in.
    if (!publishing) {
      publishing = true;
      queueMicrotask(() => {
        publishing = false;
        publish();
      });
    }
  }

  /** What the editor should show now: the server's runs plus our pending edits. */
  function current() {
    if (!tracker || !live() || live().client !== client) return null;
    const runs = tracker.shown(client.pending(), me());
    return runs && { runs, me: me() };
  }

  /** Effects for the dispatch that applies a server operation (of targetLength units after it). */
  function effects(targetLength) {
    if (!tracker) return [];
    let value;
    try {
      value = current();
    } catch (e) {
      value = e;
    }
    if (value instanceof Error || (value && lengthOf(value.runs) !== targetLength)) {
      const why = value instanceof Error ? value.message : `runs of ${lengthOf(value.runs)} units for a text of ${targetLength}`;
      queueMicrotask(() => again(why));
      return [setAuthors.of(null)];
    }
    return [setAuthors.of(value)];
  }

  function publish() {
    let value;
    try {
      value = current();
    } catch (e) {
      again(e.message);
      return;
    }
    if (value && lengthOf(value.runs) !== view.state.doc.length) {
      again(`runs of ${lengthOf(value.runs)} units for a text of ${view.state.doc.length}`);
      return;
    }
    const now = view.state.field(authorsField);
    if (value === now || (value && now && value.me === now.me && sameRuns(value.runs, now.runs))) return;
    show(value);
  }

  function show(value) {
    if (value !== view.state.field(authorsField)) view.dispatch({ effects: setAuthors.of(value) });
    legendSoon();
  }

  function replaced() {
    if (!tracker) return;
    stop();
    follow();
  }

  // ---- toggle and legend ---------------------------------------------------------

  function renderToggle() {
    toggle.setAttribute('aria-pressed', String(enabled));
    legend.hidden = !enabled;
    legendSoon();
  }

  function legendSoon() {
    if (!legendTimer) {
      legendTimer = setTimeout(() => {
        legendTimer = null;
        renderLegend();
      }, LEGEND_DELAY_MS);
    }
  }

  function renderLegend() {
    const value = enabled ? view.state.field(authorsField) : null;
    legend.setAttribute('aria-busy', String(enabled && !value));
    const names = value ? authorTotals(value.runs).map(([name]) => name) : [];
    const key = JSON.stringify(names);
    if (key === legendKey) return;
    legendKey = key;
    legend.replaceChildren(...names.map((name) => {
      const li = document.createElement('li');
      li.dataset.author = name;
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.backgroundColor = authorColor(name);
      li.append(swatch, authorLabel(name, '', t('versions.initialText')));
      return li;
    }));
  }

  return { follow, confirmed, effects, replaced, refresh: publish };
}

function remembered() {
  try { return localStorage.getItem(SHOW_KEY) === '1'; } catch (e) { return false; }
}
