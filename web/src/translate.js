// The translator's view, /m/{id}/translate/{lang}#token=...: the language's live document
// ({id}:{lang}) in the same editor and sync code as the manifesto, each source unit drawn in place
// of its marker line, beside its translation on a wide screen (above it on a phone), marked when
// it changed since it was translated (with the word diff of the change).
// Units, states and progress come from GET /api/manifestos/{id}/translations/{lang}, asked again
// after every change and every 1.5 s (the source is edited elsewhere).
//
// Three languages meet here and are kept apart: the interface's (<html lang dir>, the labels and
// buttons), the source's (each source text carries its lang and dir) and the translation's (the
// editor's lines carry the target's lang and dir).

import { Compartment, EditorState, Prec, StateEffect, StateField, Transaction, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, keymap } from '@codemirror/view';
import { minimalSetup } from 'codemirror';
import { changesToOperation, operationToChanges } from './convert.js';
import { Bus } from './connection.js';
import { remoteCursors, remoteSelectionsOf, removeRemote, setRemoteSelection } from './presence.js';
import { claimSession, loadSession, saveSession } from './session.js';
import { LiveDocument } from './sync.js';
import { el, readToken } from './dom.js';
import { t, dir as uiDir, lang as uiLang, directionOf, formatPercent, mountLanguageSwitches } from './i18n.js';
import { caretFor, isolate, markerOf, missingMarkers, sameName, unitSpans } from './translate-text.js';

const match = /^\/m\/([^/]+)\/translate\/([^/]+)\/?$/.exec(location.pathname);
const id = match ? decodeURIComponent(match[1]) : null;
const lang = match ? decodeURIComponent(match[2]) : null;
const token = readToken();
const api = id ? `/api/manifestos/${encodeURIComponent(id)}/translations/${encodeURIComponent(lang)}` : '';

let view = null;
let live = null;
let units = new Map(); // unit id -> the API's unit
let order = []; // unit ids in source order
let source = { language: 'und', dir: 'auto' }; // the manifesto's own language
let target = { language: lang, dir: directionOf(lang) };
const suggestions = new Map(); // unit id -> the memory's answer, shown until the unit is translated
let stamp = 0; // bumps when units change
let lastUnits = '';
let refreshTimer = null;
let editableNow = false;
let focusWhenEditable = false;

const unitsChanged = StateEffect.define();
const editable = new Compartment();
const languageAttrs = new Compartment();

window.convene = {
  text: () => (view ? view.state.doc.toString() : ''),
  state: () => (live ? live.state : 'offline'),
  revision: () => (live && live.client ? live.client.revision : -1),
  units: () => [...units.values()],
  refresh: () => refresh(),
  /** Puts the caret at the end of a unit's translation (for tests and the keyboard). */
  focusUnit: (unit) => focusUnit(unit),
  /** The unit whose translation holds the caret (0 before the first unit). */
  caretUnit: () => {
    const line = view.state.doc.lineAt(view.state.selection.main.head).number;
    const here = unitSpans(view.state.doc.toString().split('\n')).filter((u) => u.line <= line).pop();
    return here ? here.unit : 0;
  },
};

mountLanguageSwitches();
if (!id || !token) {
  deadLink(t('translate.error.incomplete'));
} else {
  linkWorks().then((works) => {
    if (!works) return;
    const known = localStorage.getItem('convene.name');
    if (known) start(known);
    else askName();
  });
}

/**
 * A link that cannot open this translation is said at once, before anyone is asked for a name or
 * told the page is connecting. Offline or a server error: the page starts and says so as it goes.
 */
async function linkWorks() {
  let r;
  try {
    r = await fetch(api, { headers: { Authorization: `Bearer ${token}` } });
  } catch (e) {
    return true;
  }
  if (r.status !== 401 && r.status !== 403 && r.status !== 404) return true;
  deadLink(r.status === 404 ? t('translate.error.noLanguage') : t('translate.error.link'));
  return false;
}

/** Nothing will happen on this page: why, and no "Connecting…" nor keys for units that will not come. */
function deadLink(text) {
  message(text);
  el('status').hidden = true;
  el('keys-hint').hidden = true;
}

/** The first time: the name the others will see, asked in the page (kept for the next time). */
function askName() {
  el('name-panel').hidden = false;
  const input = el('name-input');
  input.focus();
  el('name-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = input.value.trim().slice(0, 60);
    el('name-error').hidden = Boolean(name);
    input.setAttribute('aria-invalid', name ? 'false' : 'true');
    if (name) input.removeAttribute('aria-describedby');
    else input.setAttribute('aria-describedby', 'name-error');
    if (!name) {
      input.focus();
      return;
    }
    localStorage.setItem('convene.name', name);
    el('name-panel').hidden = true;
    // The translation is read-only until the server's text arrives: the focus waits in the page's main part.
    focusWhenEditable = true;
    el('editor').focus();
    start(name);
  });
}

async function start(name) {
  const doc = `${id}:${lang}`;
  el('whoami').textContent = name;
  people(0);
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
        EditorView.perLineTextDirection.of(true),
        remoteCursors,
        sourceUnits,
        translationLines,
        // before the default keymap's Alt+Down and Alt+Up (which move lines, and with them the markers)
        Prec.highest(keymap.of([
          { key: 'Alt-ArrowDown', run: () => moveUnit(1) },
          { key: 'Alt-ArrowUp', run: () => moveUnit(-1) },
        ])),
        EditorView.domEventHandlers({ focus: () => { setTimeout(intoFirstUnit); } }),
        languageAttrs.of(contentAttributes()),
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
        if (yes && focusWhenEditable && (document.activeElement === el('editor') || document.activeElement === document.body)) {
          view.focus(); // the name was just given: writing starts in the first unit (intoFirstUnit, on focus)
        }
        if (yes) focusWhenEditable = false;
      },
      showRemote: (clientId, person, ranges) => view.dispatch({ effects: setRemoteSelection.of({ clientId, ...person, ranges }) }),
      hideRemote: (clientId) => view.dispatch({ effects: removeRemote.of(clientId) }),
      remoteIds: () => [...remoteSelectionsOf(view.state).keys()],
    },
    ui: {
      status,
      role: () => {},
      people: (all) => people(all.size),
      // sync.js words its reasons for the manifesto's editor: here they are said in the interface's language.
      message: () => message(t('translate.error.reloaded')),
      fatal: () => message(t('translate.error.fatal')),
    },
  });
  live.bus.connect();
  refresh();
  setInterval(refresh, 1500);
}

function status(state) {
  const words = { saved: t('translate.status.saved'), sending: t('translate.status.sending') };
  el('status').textContent = words[state] || t('translate.status.offline');
  el('status').dataset.state = state;
}

function people(n) {
  el('people-count').textContent = t('translate.people', { n });
}

/**
 * The editor's own attributes: the translation's language (its lines carry its direction), the
 * interface's direction for the layout (so the source's column is at the interface's start).
 */
function contentAttributes() {
  return EditorView.contentAttributes.of({
    'aria-label': t('translate.editor.label', { language: target.name || lang }),
    'aria-describedby': 'keys-hint',
    spellcheck: 'true',
    lang: target.language,
    dir: uiDir(),
  });
}

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
  if (!editableNow) return false;
  view.dispatch({ changes });
  return true;
}

function scheduleRefresh(ms) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, ms);
}

async function refresh() {
  let body;
  try {
    const r = await fetch(api, { headers: { Authorization: `Bearer ${token}` } });
    body = await r.json().catch(() => ({}));
    if (!r.ok) {
      message(r.status === 401 || r.status === 403 ? t('translate.error.link')
        : r.status === 404 ? t('translate.error.noLanguage') : t('common.serverError'), true);
      return;
    }
  } catch (e) {
    message(t('translate.error.read'), true);
    return;
  }
  hideMessage();
  showLanguages(body);
  const p = body.progress;
  el('progress').textContent = t('translate.progress', {
    translated: formatPercent(p.units ? p.translated / p.units : 0),
    upToDate: formatPercent(p.units ? p.upToDate / p.units : 0),
    reviewed: formatPercent(p.units ? p.reviewed / p.units : 0),
  });
  const fresh = JSON.stringify(body.units);
  if (fresh !== lastUnits) {
    lastUnits = fresh;
    units = new Map(body.units.map((u) => [u.unit, u]));
    order = body.units.map((u) => u.unit);
    for (const unit of suggestions.keys()) {
      if (!units.has(unit) || units.get(unit).state !== 'missing') suggestions.delete(unit);
    }
    view.dispatch({ effects: unitsChanged.of(++stamp) });
  }
  addMissingMarkers();
}

/** The two text languages, once known: headings, the page's title, the editor's attributes. */
function showLanguages(body) {
  const known = target.name === body.name && source.language === (body.source || {}).language;
  target = { language: body.language, name: body.name, dir: body.dir };
  if (body.source) source = body.source;
  if (known) return;
  document.title = t('translate.pageTitle', { language: body.name });
  el('language').textContent = t('translate.heading', { language: body.name });
  el('source-heading').textContent = t('translate.column.sourceIn', { language: source.name });
  el('target-heading').textContent = t('translate.column.translationIn', { language: target.name });
  view.dispatch({ effects: [languageAttrs.reconfigure(contentAttributes()), unitsChanged.of(++stamp)] });
}

/** Units new in the source get their marker line, after the block of the unit before them. */
function addMissingMarkers() {
  if (!editableNow || !live || live.state !== 'saved') return;
  const changes = missingMarkers(view.state.doc.toString(), order);
  if (changes.length) edit(changes);
}

function focusUnit(unit) {
  const at = caretFor(view.state.doc.toString(), unit);
  if (at < 0) return false;
  view.focus();
  view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  return true;
}

/**
 * Focus that lands before the first unit (the caret starts at 0, above the first source) goes to the
 * first unit's translation: text typed there would belong to no unit.
 */
function intoFirstUnit() {
  const spans = unitSpans(view.state.doc.toString().split('\n'));
  if (!spans.length) return;
  const first = view.state.doc.line(spans[0].line);
  const { head, anchor } = view.state.selection.main;
  if (head === anchor && head <= first.to) focusUnit(spans[0].unit);
}

/** Alt+Down, Alt+Up: the caret to the next or previous unit's translation. */
function moveUnit(step) {
  const line = view.state.doc.lineAt(view.state.selection.main.head).number;
  const spans = unitSpans(view.state.doc.toString().split('\n'));
  let here = -1;
  spans.forEach((s, i) => { if (s.line <= line) here = i; });
  const next = spans[here + step];
  return next ? focusUnit(next.unit) : false;
}

// ---- the source units in place of their marker lines ------------------------------

class SourceWidget extends WidgetType {
  /** @param lines the number of translation lines after the marker: the source spans as many rows */
  constructor(unit, lines) {
    super();
    this.unit = unit;
    this.lines = lines;
    // a widget redraws only when its unit, its languages or its suggestions changed
    this.shown = JSON.stringify([units.get(unit) || null, source, target.name, suggestions.get(unit) || null]);
  }

  eq(other) {
    return other.unit === this.unit && other.lines === this.lines && other.shown === this.shown;
  }

  toDOM() {
    const u = units.get(this.unit);
    // The wrapper has no box on a wide screen (display: contents; CodeMirror measures it as 0 high)
    // so that the cell inside is a grid item spanning the rows of the unit's translation lines.
    const box = document.createElement('div');
    box.className = 'source-unit';
    box.dataset.unit = String(this.unit);
    box.dataset.state = u ? u.state : 'removed';
    box.contentEditable = 'false';
    const cell = document.createElement('section');
    cell.className = 'source-cell';
    cell.style.gridRowEnd = `span ${Math.max(1, this.lines)}`;
    cell.lang = uiLang();
    cell.dir = uiDir();
    cell.setAttribute('aria-label', t('translate.unit.label', { n: order.indexOf(this.unit) + 1 }));
    box.append(cell);
    const text = document.createElement('p');
    text.className = 'source-text';
    if (u) {
      text.lang = source.language;
      text.dir = directionOf(source.language);
      text.textContent = u.source;
    } else {
      text.textContent = t('translate.unit.removed');
    }
    cell.append(text);
    if (!u) return box;
    const meta = document.createElement('p');
    meta.className = 'source-meta';
    meta.textContent = metaText(u);
    cell.append(meta);
    if (u.state === 'outdated') {
      const diff = document.createElement('p');
      diff.className = 'source-diff';
      diff.lang = source.language;
      diff.dir = directionOf(source.language);
      for (const c of u.diff) {
        const span = document.createElement(c.op === 'insert' ? 'ins' : c.op === 'delete' ? 'del' : 'span');
        span.textContent = c.text;
        diff.append(span);
      }
      cell.append(diff, button(t('translate.unit.stillCorrect'), () => post(this.unit, 'confirm')));
    } else if (u.state === 'current' && u.review !== 'reviewed') {
      cell.append(button(t('translate.unit.markReviewed'), () => review(this.unit)));
    } else if (u.state === 'missing') {
      const shown = suggestions.get(this.unit);
      if (shown) cell.append(memoryList(this.unit, shown));
      else cell.append(button(t('translate.unit.suggestions'), () => suggest(this.unit)));
    }
    return box;
  }

  ignoreEvent() {
    return true;
  }
}

function metaText(u) {
  if (u.state === 'outdated') return t('translate.unit.outdated');
  if (u.state === 'missing') return t('translate.unit.missing');
  const review = u.review === 'reviewed' && u.reviewedBy
    ? t('translate.unit.reviewedBy', { name: isolate(u.reviewedBy) }) : t('translate.unit.draft');
  return u.translatedBy ? t('translate.unit.reviewAndTranslator', { review, name: isolate(u.translatedBy) }) : review;
}

function button(label, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', action);
  return b;
}

async function review(unit) {
  const u = units.get(unit);
  if (u && sameName(u.translatedBy, live.name)) {
    message(t('translate.error.ownReview'));
    return;
  }
  await post(unit, 'review');
}

/** Confirm or review; then the caret goes back to the unit's translation (the button is gone). */
async function post(unit, action) {
  try {
    const r = await fetch(`${api}/units/${unit}/${action}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: live.name }),
    });
    if (!r.ok) message(r.status === 409 ? t('translate.error.changed') : t('common.serverError'));
  } catch (e) {
    message(t('translate.error.read'));
  }
  await refresh();
  focusUnit(unit);
}

async function suggest(unit) {
  let body;
  try {
    const r = await fetch(`${api}/memory?unit=${unit}`, { headers: { Authorization: `Bearer ${token}` } });
    body = await r.json();
    if (!r.ok) throw new Error(String(r.status));
  } catch (e) {
    message(t('common.serverError'));
    return;
  }
  suggestions.set(unit, body.suggestions);
  view.dispatch({ effects: unitsChanged.of(++stamp) });
  // The list replaced the button that had the focus: the focus goes to the list's first choice.
  const list = view.contentDOM.querySelector(`.source-unit[data-unit="${unit}"] .memory`);
  if (list) (list.querySelector('button') || list).focus();
}

/** Closes a unit's suggestions (Escape, or Close): the focus goes back to the button that opened them. */
function closeSuggestions(unit) {
  suggestions.delete(unit);
  view.dispatch({ effects: unitsChanged.of(++stamp) });
  const again = view.contentDOM.querySelector(`.source-unit[data-unit="${unit}"] button`);
  if (again) again.focus();
}

function memoryList(unit, found) {
  const list = document.createElement('ul');
  list.className = 'memory';
  list.tabIndex = -1;
  list.setAttribute('aria-label', t('translate.memory.label'));
  list.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      closeSuggestions(unit);
    }
  });
  if (!found.length) {
    const none = document.createElement('li');
    none.textContent = t('translate.memory.none');
    list.append(none);
  }
  for (const s of found) {
    const li = document.createElement('li');
    const alike = document.createElement('span');
    alike.className = 'alike';
    alike.textContent = t('translate.memory.alike', { percent: formatPercent(s.similarity) });
    const text = document.createElement('span');
    text.lang = target.language;
    text.dir = target.dir;
    text.textContent = s.translation;
    li.append(alike, ' ', text, ' ', button(t('translate.memory.insert'), () => insertAfterMarker(unit, s.translation)));
    list.append(li);
  }
  const close = document.createElement('li');
  close.append(button(t('common.close'), () => closeSuggestions(unit)));
  list.append(close);
  return list;
}

function insertAfterMarker(unit, text) {
  const at = caretFor(view.state.doc.toString(), unit);
  if (at < 0) return;
  if (edit({ from: at, insert: text })) focusUnit(unit);
}

/** The widgets, and for each the number of translation lines it stands beside. */
const sourceUnits = StateField.define({
  create: (state) => decorate(state),
  update(deco, tr) {
    if (tr.docChanged || tr.effects.some((e) => e.is(unitsChanged))) return decorate(tr.state);
    return deco;
  },
  provide: (f) => [EditorView.decorations.from(f), EditorView.atomicRanges.of((v) => v.state.field(f))],
});

function decorate(state) {
  const lines = [];
  for (let n = 1; n <= state.doc.lines; n++) lines.push(state.doc.line(n).text);
  const ranges = [];
  for (const span of unitSpans(lines)) {
    const line = state.doc.line(span.line);
    ranges.push(Decoration.replace({ widget: new SourceWidget(span.unit, span.lines), block: true }).range(line.from, line.to));
  }
  return Decoration.set(ranges);
}

/**
 * The translation's lines carry its direction (a line that starts with a Latin name in an Arabic
 * translation stays right to left); text before the first unit takes its own (dir="auto").
 */
const translationLines = StateField.define({
  create: (state) => lineDecorations(state),
  update(deco, tr) {
    if (tr.docChanged || tr.effects.some((e) => e.is(unitsChanged))) return lineDecorations(tr.state);
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function lineDecorations(state) {
  const inUnit = Decoration.line({ attributes: { dir: target.dir, class: 'translation-line' } });
  const outside = Decoration.line({ attributes: { dir: 'auto' } });
  const builder = new RangeSetBuilder();
  let seen = false;
  for (let n = 1; n <= state.doc.lines; n++) {
    const line = state.doc.line(n);
    if (markerOf(line.text) >= 0) {
      seen = true;
      continue;
    }
    builder.add(line.from, line.from, seen ? inUnit : outside);
  }
  return builder.finish();
}

let readProblem = false; // the message shown says the translation could not be read

function message(text, fromRead = false) {
  readProblem = fromRead;
  el('message-text').textContent = text;
  el('message').hidden = false;
}

/** A message about reading goes once reading works again; others stay until replaced. */
function hideMessage() {
  if (readProblem) {
    el('message').hidden = true;
    readProblem = false;
  }
}
