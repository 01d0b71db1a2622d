// Other participants' cursors and selections inside the editor, plus the
// per-line text direction. Remote selections live in editor state and are
// mapped through every change (local typing and remote operations alike), so
// they stay on the text they were on until that participant moves again.

import { StateEffect, StateField, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, WidgetType } from '@codemirror/view';
import { parseColor, textColorOn } from './contrast.js';

/** {clientId, name, color, ranges:[{anchor, head}]}, positions in the local text */
export const setRemoteSelection = StateEffect.define();
/** clientId */
export const removeRemote = StateEffect.define();

const MAX_RANGES = 20;

function clampRanges(ranges, length) {
  const clamp = (n) => Math.max(0, Math.min(length, n));
  return ranges.slice(0, MAX_RANGES).map((r) => ({ anchor: clamp(r.anchor), head: clamp(r.head) }));
}

const remoteSelections = StateField.define({
  create: () => new Map(),
  update(value, tr) {
    let next = value;
    if (tr.docChanged) {
      next = new Map();
      // assoc 1: text inserted exactly at a cursor goes before it, as ot.js's
      // Selection.transform does (and as the author's own cursor moves).
      const map = (pos) => tr.changes.mapPos(pos, 1);
      for (const [id, r] of value) {
        next.set(id, { ...r, ranges: r.ranges.map((x) => ({ anchor: map(x.anchor), head: map(x.head) })) });
      }
    }
    for (const e of tr.effects) {
      if (e.is(setRemoteSelection)) {
        if (next === value) next = new Map(value);
        const { clientId, name, color, ranges } = e.value;
        const moved = (value.get(clientId)?.moved || 0) + 1;
        next.set(clientId, { name, color, moved, ranges: clampRanges(ranges, tr.state.doc.length) });
      } else if (e.is(removeRemote) && next.has(e.value)) {
        if (next === value) next = new Map(value);
        next.delete(e.value);
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, buildDecorations),
});

// A remote caret is a thin bar in the person's colour. Its name label sits below the line (never over
// the line above, which is usually the one being read), shows for a few seconds after the person
// moves (a new widget, so the CSS animation starts again), and again while the pointer is over the
// line; the people list says the same for keyboard and screen-reader users. The label's text is black
// or white, whichever contrasts more with the colour (contrast.js: at least 4.5:1 for any colour).
class CaretWidget extends WidgetType {
  constructor(name, color, moved) {
    super();
    this.name = name;
    this.color = color;
    this.moved = moved;
  }

  eq(other) {
    return other.name === this.name && other.color === this.color && other.moved === this.moved;
  }

  toDOM() {
    const caret = document.createElement('span');
    caret.className = 'cm-remote-caret';
    caret.style.borderColor = this.color;
    caret.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'cm-remote-name';
    const background = parseColor(this.color) ? this.color : '#1d1d1f';
    label.style.backgroundColor = background;
    label.style.color = textColorOn(background);
    label.dir = 'auto';
    label.textContent = this.name; // never HTML
    caret.appendChild(label);
    return caret;
  }

  ignoreEvent() {
    return true;
  }
}

const translucent = typeof CSS !== 'undefined' && CSS.supports('background-color', 'color-mix(in srgb, red 30%, transparent)');

function buildDecorations(selections) {
  const decorations = [];
  for (const { name, color, moved, ranges } of selections.values()) {
    // color went through safeColor, so it cannot close the declaration.
    const style = translucent
      ? `background-color: color-mix(in srgb, ${color} 28%, transparent)`
      : `box-shadow: inset 0 -2px 0 ${color}`;
    const mark = Decoration.mark({ class: 'cm-remote-selection', attributes: { style } });
    for (const { anchor, head } of ranges) {
      const from = Math.min(anchor, head);
      const to = Math.max(anchor, head);
      if (from < to) decorations.push(mark.range(from, to));
      decorations.push(Decoration.widget({ widget: new CaretWidget(name, color, moved), side: 1 }).range(head));
    }
  }
  return Decoration.set(decorations, true);
}

export const remoteCursors = [remoteSelections];

/** The remote selections shown: clientId -> {name, color, ranges}. */
export function remoteSelectionsOf(state) {
  return state.field(remoteSelections);
}

// Each visible line gets dir="auto", so the browser picks its direction from
// its first strong character (Arabic, Persian: right to left), and
// EditorView.perLineTextDirection makes CodeMirror read it back per line.
const autoDirLine = Decoration.line({ attributes: { dir: 'auto' } });

function lineDirections(view) {
  const builder = new RangeSetBuilder();
  let last = -1;
  for (const { from, to } of view.visibleRanges) {
    for (let pos = from; pos <= to;) {
      const line = view.state.doc.lineAt(pos);
      if (line.from > last) builder.add(line.from, line.from, autoDirLine);
      last = line.from;
      pos = line.to + 1;
    }
  }
  return builder.finish();
}

export const perLineDirection = [
  EditorView.perLineTextDirection.of(true),
  ViewPlugin.fromClass(class {
    constructor(view) {
      this.decorations = lineDirections(view);
    }

    update(update) {
      if (update.docChanged || update.viewportChanged) this.decorations = lineDirections(update.view);
    }
  }, { decorations: (plugin) => plugin.decorations }),
];
