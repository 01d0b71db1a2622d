// The translator's view, /m/{id}/translate/{lang}#token=...: the language's live
// document ({id}:{lang}) in the same editor and sync code as the manifesto, with
// each source unit shown in place of its marker line, right above its translation,
// marked when it changed since it was translated (with the word diff of the change).
// Units, states and progress come from GET /api/manifestos/{id}/translations/{lang},
// asked again after every change and every 1.5 s (the source is edited elsewhere).

import { Compartment, EditorState, StateEffect, StateField, Transaction } from '@codemirror/state';
import { Decoration, EditorView, WidgetType } from '@codemirror/view';
import { minimalSetup } from 'codemirror';
import { changesToOperation, operationToChanges } from './convert.js';
import { Bus } from './connection.js';
import { remoteCursors, remoteSelectionsOf, removeRemote, setRemoteSelection, perLineDirection } from './presence.js';
import { claimSession, loadSession, saveSession } from './session.js';
import { LiveDocument } from './sync.js';
import { el, readToken } from './dom.js';

const MARK = '\uE000';
const MARKER = /^\uE000(\d+)$/;
const match = /^\/m\/([^/]+)\/translate\/([^/]+)\/?$/.exec(location.pathname);
const id = match ? decodeURIComponent(match[1]) : null;
const lang = match ? decodeURIComponent(match[2]) : null;
const token = readToken();
const api = id ? `/api/manifestos/${encodeURIComponent(id)}/translations/${encodeURIComponent(lang)}` : '';

let view = null;
let live = null;
let units = new Map(); // unit id -> the API's unit
let order = []; // unit ids in source order
let stamp = 0; // bumps when units change
let lastUnits = '';
let refreshTimer = null;

const unitsChanged = StateEffect.define();

window.convene = {
  text: () => (view ? view.state.doc.toString() : ''),
  state: () => (live ? live.state : 'offline'),
  revision: () => (live && live.client ? live.client.revision : -1),
  units: () => [...units.values()],
  refresh: () => refresh(),
  /** Puts the caret at the end of a unit's translation (for tests and the keyboard). */
  focusUnit: (unit) => {
    const text = view.state.doc.toString();
    const at = text.search(new RegExp(`^${MARK}${unit}$`, 'm'));
    if (at < 0) return false;
    let end = blockEnd(text, at);
    if (end > 0 && text[end - 1] === '\n') end--;
    view.focus();
    view.dispatch({ selection: { anchor: Math.max(end, text.indexOf('\n', at) + 1) } });
    return true;
  },
};

if (!id || !token) {
  message('This link is incomplete: it needs /m/{id}/translate/{language}#token=...');
} else {
  start(askName());
}

function askName() {
  let name = localStorage.getItem('convene.name');
  if (!name) {
    name = (prompt('Your name, as the others will see it') || '').trim().slice(0, 60) || 'Translator';
    localStorage.setItem('convene.name', name);
  }
  return name;
}

async function start(name) {
  const doc = `${id}:${lang}`;
  el('whoami').textContent = name;
  let session = loadSession(doc);
  if (!(await claimSession(doc, session.clientId))) session = {};
  view = new EditorView({
    parent: el('editor'),
    state: EditorState.create({
      doc: session.pending ? session.pending.text : '',
      extensions: [
        EditorState.lineSeparator.of('\n'),
        minimalSetup,
        EditorView.lineWrapping,
        perLineDirection,
        remoteCursors,
        sourceUnits,
        EditorView.contentAttributes.of({ 'aria-label': 'Translation', spellcheck: 'true', lang }),
        editable.of(readOnly(true)),
        EditorView.updateListener.of(onUpdate),
      ],
    }),
  });
  live = new LiveDocument({
    doc,
    name,
    viewOnly: false,
    session,
    saveSession: (s) => saveSession(doc, s),
    createBus: (handlers) => new Bus({ url: `${location.origin}/eventbus`, token, ...handlers, onBridgeError: () => {} }),
    editor: {
      text: () => view.state.doc.toString(),
      apply: (op) => view.dispatch({ changes: operationToChanges(op, view.state.doc.length), annotations: fromServer }),
      replace: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromServer }),
      confirmed: () => scheduleRefresh(300),
      selection: () => ({ ranges: view.state.selection.ranges.map((r) => ({ anchor: r.anchor, head: r.head })) }),
      setEditable: (yes) => {
        editableNow = yes;
        view.dispatch({ effects: editable.reconfigure(readOnly(!yes)) });
      },
      showRemote: (clientId, person, ranges) => view.dispatch({ effects: setRemoteSelection.of({ clientId, ...person, ranges }) }),
      hideRemote: (clientId) => view.dispatch({ effects: removeRemote.of(clientId) }),
      remoteIds: () => [...remoteSelectionsOf(view.state).keys()],
    },
    ui: {
      status: (state) => { el('status').textContent = state === 'saved' ? 'Saved' : state === 'sending' ? 'Sending…' : 'Offline'; el('status').dataset.state = state; },
      role: () => {},
      people: (people) => { el('people-count').textContent = String(people.size); },
      message,
      fatal: message,
    },
  });
  live.bus.connect();
  refresh();
  setInterval(refresh, 1500);
}

let editableNow = false;
const editable = new Compartment();

function readOnly(yes) {
  return [EditorState.readOnly.of(yes), EditorView.editable.of(!yes)];
}
const fromServer = [Transaction.remote.of(true), Transaction.addToHistory.of(false)];

function onUpdate(update) {
  if (!live) return;
  let changed = false;
  for (const tr of update.transactions) {
    if (tr.annotation(Transaction.remote) || !tr.docChanged) continue;
    live.localChange(changesToOperation(tr.changes));
    changed = true;
  }
  if (changed) {
    live.selectionChanged();
    scheduleRefresh(700);
  }
}

/** The page's own edits (markers, inserted suggestions): only while the document is editable. */
function edit(changes) {
  if (!editableNow) return;
  view.dispatch({ changes });
}

function scheduleRefresh(ms) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, ms);
}

async function refresh() {
  let body;
  try {
    const r = await fetch(api, { headers: { Authorization: `Bearer ${token}` } });
    body = await r.json();
    if (!r.ok) throw new Error(body.message || r.status);
  } catch (e) {
    message(`Cannot read the translation: ${e.message}`);
    return;
  }
  document.title = `${body.name} · Convene`;
  el('language').textContent = body.name;
  view.contentDOM.setAttribute('dir', body.dir);
  const p = body.progress;
  el('progress').textContent = `${p.translated}/${p.units} translated · ${p.upToDate} up to date · ${p.reviewed} reviewed`;
  const fresh = JSON.stringify(body.units);
  if (fresh !== lastUnits) {
    lastUnits = fresh;
    units = new Map(body.units.map((u) => [u.unit, u]));
    order = body.units.map((u) => u.unit);
    view.dispatch({ effects: unitsChanged.of(++stamp) });
  }
  addMissingMarkers();
}

/** Units new in the source get their marker line, after the block of the unit before them. */
function addMissingMarkers() {
  if (!editableNow || !live || live.state !== 'saved') return;
  const text = view.state.doc.toString();
  const present = new Set([...text.matchAll(/^\uE000(\d+)$/gm)].map((m) => Number(m[1])));
  const changes = [];
  let after = 0;
  for (const unit of order) {
    if (present.has(unit)) {
      after = blockEnd(text, text.search(new RegExp(`^${MARK}${unit}$`, 'm')));
      continue;
    }
    const prefix = after > 0 && text[after - 1] !== '\n' ? '\n' : '';
    changes.push({ from: after, insert: `${prefix}${MARK}${unit}\n\n` });
  }
  if (changes.length) edit(changes);
}

function blockEnd(text, markerAt) {
  const next = text.indexOf(`\n${MARK}`, markerAt + 1);
  return next < 0 ? text.length : next + 1;
}

// ---- the source units in place of their marker lines ------------------------------

class SourceWidget extends WidgetType {
  constructor(unit) {
    super();
    this.unit = unit;
    this.shown = JSON.stringify(units.get(unit) || null); // a widget redraws only when its unit changed
  }

  eq(other) {
    return other.unit === this.unit && other.shown === this.shown;
  }

  toDOM() {
    const u = units.get(this.unit);
    const box = document.createElement('div');
    box.className = 'source-unit';
    box.dataset.unit = String(this.unit);
    box.dataset.state = u ? u.state : 'removed';
    box.contentEditable = 'false';
    const text = document.createElement('div');
    text.className = 'source-text';
    text.dir = 'auto';
    text.textContent = u ? u.source : '(no longer in the source)';
    box.append(text);
    if (!u) return box;
    const meta = document.createElement('div');
    meta.className = 'source-meta';
    meta.textContent = u.state === 'outdated' ? 'Source changed since translated:' : u.state === 'missing' ? 'Not translated yet'
      : `${u.review === 'reviewed' ? `Reviewed by ${u.reviewedBy}` : 'Draft'}${u.translatedBy ? ` · translated by ${u.translatedBy}` : ''}`;
    box.append(meta);
    if (u.state === 'outdated') {
      const diff = document.createElement('div');
      diff.className = 'source-diff';
      diff.dir = 'auto';
      for (const c of u.diff) {
        const span = document.createElement(c.op === 'insert' ? 'ins' : c.op === 'delete' ? 'del' : 'span');
        span.textContent = c.text;
        diff.append(span);
      }
      box.append(diff, button('Still correct', () => post(`units/${this.unit}/confirm`)));
    } else if (u.state === 'current' && u.review !== 'reviewed') {
      box.append(button('Mark reviewed', () => post(`units/${this.unit}/review`)));
    } else if (u.state === 'missing') {
      box.append(button('Suggestions', () => suggest(this.unit, box)));
    }
    return box;
  }

  ignoreEvent() {
    return true;
  }
}

function button(label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', action);
  return b;
}

async function post(path) {
  const r = await fetch(`${api}/${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: live.name }),
  });
  if (!r.ok) message((await r.json()).message);
  refresh();
}

async function suggest(unit, box) {
  const r = await fetch(`${api}/memory?unit=${unit}`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await r.json();
  if (!r.ok) { message(body.message); return; }
  const list = document.createElement('ul');
  list.className = 'memory';
  if (!body.suggestions.length) list.textContent = 'No similar translation on this server.';
  for (const s of body.suggestions) {
    const li = document.createElement('li');
    li.dir = 'auto';
    li.textContent = `${Math.round(s.similarity * 100)}% · ${s.translation} `;
    li.append(button('Insert', () => insertAfterMarker(unit, s.translation)));
    list.append(li);
  }
  box.append(list);
}

function insertAfterMarker(unit, text) {
  const doc = view.state.doc.toString();
  const at = doc.search(new RegExp(`^${MARK}${unit}$`, 'm'));
  if (at < 0) return;
  const lineEnd = doc.indexOf('\n', at);
  edit({ from: lineEnd < 0 ? doc.length : lineEnd, insert: `\n${text}` });
}

const sourceUnits = StateField.define({
  create: (state) => decorate(state),
  update(deco, tr) {
    if (tr.docChanged || tr.effects.some((e) => e.is(unitsChanged))) return decorate(tr.state);
    return deco;
  },
  provide: (f) => [EditorView.decorations.from(f), EditorView.atomicRanges.of((v) => v.state.field(f))],
});

function decorate(state) {
  const ranges = [];
  for (let n = 1; n <= state.doc.lines; n++) {
    const line = state.doc.line(n);
    const m = MARKER.exec(line.text);
    if (m) ranges.push(Decoration.replace({ widget: new SourceWidget(Number(m[1])), block: true }).range(line.from, line.to));
  }
  return Decoration.set(ranges);
}

function message(text) {
  el('message-text').textContent = text;
  el('message').hidden = false;
}
