// The live editor page: /m/{id}/edit, /m/{id}/view and /m/{id}/admin, with the
// capability token in the fragment (#token=...). This file builds the page:
// CodeMirror, the toolbar, the name prompt; sync.js keeps the text in step
// with the server.

import { Compartment, EditorState, Transaction } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { minimalSetup } from 'codemirror';
import { changesToOperation, operationToChanges } from './convert.js';
import { Bus } from './connection.js';
import {
  perLineDirection, remoteCursors, remoteSelectionsOf, removeRemote, setRemoteSelection,
} from './presence.js';
import { answerClaims, claimSession, loadSession, saveSession } from './session.js';
import { LiveDocument } from './sync.js';
import { clean, cleanName, nameProblem } from './text.js';
import { el, readToken, show } from './dom.js';
import { authorColours, mountAuthors, shownAuthors } from './authors-view.js';
import { mountVersions } from './versions-panel.js';
import { mountSigning } from './signing-panel.js';

const NAME_KEY = 'convene.name';
const STATUS_TEXT = {
  connecting: 'Connecting…',
  saved: 'Saved',
  upToDate: 'Up to date',
  sending: 'Sending…',
  offline: 'Offline — your typing is kept',
  offlineViewer: 'Offline — reconnecting…',
};
const ROLE_TEXT = { admin: 'Admin', editor: 'Editor', viewer: 'Read only' };
const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'sd', 'ug', 'yi', 'dv', 'syr', 'prs']);

const match = /^\/m\/([^/]+)\/(edit|view|admin)\/?$/.exec(location.pathname);
const doc = match ? decodeURIComponent(match[1]) : null;
const viewOnly = match ? match[2] === 'view' : true;
const token = readToken();

let view = null; // EditorView
let live = null; // LiveDocument
let authors = null; // the "Show authors" hooks (authors-view.js)
let versions = null; // the Versions panel's hooks (versions-panel.js)
let signing = null; // the Signing panel's hooks (signing-panel.js), admins only
let lastState = null;
const editable = new Compartment();

if (!doc) {
  showMessage('This address does not name a manifesto.');
} else if (!token) {
  showMessage('This link is incomplete: the part after “#token=” is missing. Ask for the link again.');
} else {
  const stored = readName();
  askName(nameProblem(stored) ? '' : stored).then(start);
}

async function start(name) {
  el('whoami').textContent = name;
  show('rename', true);
  let session = loadSession(doc);
  // A duplicated tab carries our sessionStorage: if the original is still
  // open, this page starts its own session instead of taking over.
  if (!(await claimSession(doc, session.clientId))) session = {};
  view = createEditor(session.pending ? session.pending.text : '');
  authors = mountAuthors({ view, doc, token, live: () => live });
  live = new LiveDocument({
    doc,
    name,
    viewOnly,
    session,
    saveSession: (s) => saveSession(doc, s),
    createBus: (handlers) => new Bus({
      url: `${location.origin}/eventbus`,
      token,
      ...handlers,
      onBridgeError: (err) => console.warn('event bus error', err),
    }),
    editor: editorAdapter(),
    ui: { status, role: showRole, people: showPeople, message: showMessage, fatal: showFatal, nameRefused },
  });
  answerClaims(doc, () => (live.client ? live.client.clientId : null));
  live.bus.connect();
  status(live.state);
  loadTitle();
  signing = mountSigning({ doc, token });
  versions = mountVersions({ doc, token, role: () => live.role, revision: () => (live.client ? live.client.revision : -1) });

  window.addEventListener('online', () => live.bus.reconnectNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') live.bus.reconnectNow();
    else live.persistNow();
  });
  window.addEventListener('pagehide', () => live.persistNow());
  window.addEventListener('beforeunload', (e) => {
    if (live.client && live.client.state !== 'synchronized') {
      live.persistNow();
      e.preventDefault();
      e.returnValue = '';
    }
  });
  el('rename').addEventListener('click', () => {
    askName(live.name, true).then((chosen) => {
      el('whoami').textContent = chosen;
      live.rename(chosen);
      authors.refresh(); // what we type from now on is under the new name
    });
  });
}

// ---- the editor ---------------------------------------------------------------

function createEditor(text) {
  return new EditorView({
    parent: el('editor'),
    state: EditorState.create({
      doc: text,
      extensions: [
        // Only "\n" separates lines, so lengths equal the server's String.length
        // even for a text that holds "\r".
        EditorState.lineSeparator.of('\n'),
        minimalSetup,
        EditorView.lineWrapping,
        perLineDirection,
        remoteCursors,
        authorColours,
        // Pasted or dropped text loses what the server refuses (one such character would cost the edit).
        EditorView.clipboardInputFilter.of((t) => clean(t).replace(/\r\n?/g, '\n')),
        EditorView.contentAttributes.of({ 'aria-label': 'Manifesto text', spellcheck: 'true', autocapitalize: 'sentences' }),
        editable.of(readOnly(true)),
        EditorView.updateListener.of(onEditorUpdate),
      ],
    }),
  });
}

function readOnly(yes) {
  return [EditorState.readOnly.of(yes), EditorView.editable.of(!yes)];
}

const fromServer = [Transaction.remote.of(true), Transaction.addToHistory.of(false)];

function onEditorUpdate(update) {
  if (!live) return;
  let moved = false; // by the user: remote ops shift the cursor too, but that is no news
  for (const tr of update.transactions) {
    if (tr.annotation(Transaction.remote)) continue;
    if (tr.docChanged) live.localChange(changesToOperation(tr.changes));
    moved = moved || tr.docChanged || tr.selection !== undefined;
  }
  if (moved) live.selectionChanged();
}

/** What sync.js may do to the editor. */
function editorAdapter() {
  return {
    text: () => view.state.doc.toString(),
    apply: (op) => view.dispatch({
      changes: operationToChanges(op, view.state.doc.length), annotations: fromServer, effects: authors.effects(op.targetLength),
    }),
    replace: (text) => {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: fromServer });
      authors.replaced();
    },
    // Colours and the history slider are niceties: nothing they do may upset the text's sync.
    confirmed: (op, message) => {
      try {
        authors.confirmed(op, message);
        if (versions) versions.revisionChanged();
      } catch (e) {
        console.error(e);
      }
    },
    selection: () => ({ ranges: view.state.selection.ranges.map((r) => ({ anchor: r.anchor, head: r.head })) }),
    setEditable: (yes) => view.dispatch({ effects: editable.reconfigure(readOnly(!yes)) }),
    showRemote: (clientId, person, ranges) => view.dispatch({ effects: setRemoteSelection.of({ clientId, ...person, ranges }) }),
    hideRemote: (clientId) => view.dispatch({ effects: removeRemote.of(clientId) }),
    remoteIds: () => [...remoteSelectionsOf(view.state).keys()],
  };
}

// ---- toolbar and messages -------------------------------------------------------

function status(state) {
  authors.follow(); // after an open, the page may have a new client
  if (state === lastState && live.everOpened) return;
  const box = el('status');
  box.dataset.state = state;
  const reader = !live.canEdit;
  box.textContent = state === 'saved' ? (reader ? STATUS_TEXT.upToDate : STATUS_TEXT.saved)
    : state === 'sending' ? STATUS_TEXT.sending
      : !live.everOpened ? STATUS_TEXT.connecting
        : reader ? STATUS_TEXT.offlineViewer : STATUS_TEXT.offline;
  // Announce going offline and coming back, not every keystroke's Saving/Saved.
  if (live.everOpened && lastState !== null && (state === 'offline') !== (lastState === 'offline')) {
    el('announce').textContent = state === 'offline' ? box.textContent : 'Back online';
  }
  lastState = state;
}

function showRole(role) {
  el('role').textContent = ROLE_TEXT[role] || '';
  if (signing) signing.roleKnown(role);
}

function showPeople(people, selfId) {
  const items = [];
  for (const [id, p] of people) {
    const li = document.createElement('li');
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.style.backgroundColor = p.color;
    const label = document.createElement('span');
    label.dir = 'auto';
    label.textContent = id === selfId ? `${p.name} (you)` : p.name; // never HTML
    li.append(dot, label);
    items.push(li);
  }
  el('participants').replaceChildren(...items);
  el('people-count').textContent = String(people.size);
}

function showMessage(text) {
  el('message-text').textContent = text;
  show('message', true);
}

/** The server refused our name (its rule has the last word): forget it, so a reload asks again. */
function nameRefused(why) {
  try { localStorage.removeItem(NAME_KEY); } catch (e) { /* private mode */ }
  showFatal(`Your name was not accepted (${why}). Reload the page to choose another.`);
}

function showFatal(text) {
  showMessage(text);
  el('message-close').hidden = true;
  const box = el('status');
  box.dataset.state = 'offline';
  box.textContent = 'Not connected';
}

el('message-close').addEventListener('click', () => show('message', false));

// ---- title and language -----------------------------------------------------------

async function loadTitle() {
  try {
    const res = await fetch(`/api/manifestos/${encodeURIComponent(doc)}`, {
      headers: { Authorization: `Bearer ${token}` },
      credentials: 'same-origin',
    });
    if (!res.ok) return;
    const m = await res.json();
    if (typeof m.title === 'string') {
      el('title').textContent = m.title;
      document.title = `${m.title} · Convene`;
    }
    if (typeof m.language === 'string' && /^[A-Za-z0-9-]{1,35}$/.test(m.language)) {
      view.contentDOM.lang = m.language;
      // Empty lines, and the caret on them, follow the manifesto's language.
      const primary = m.language.split('-')[0].toLowerCase();
      if (RTL_LANGUAGES.has(primary) || /-Arab$/i.test(m.language)) el('editor').dir = 'rtl';
    }
  } catch (e) { /* the title is a nicety; the editor works without it */ }
}

// ---- name -------------------------------------------------------------------------

function readName() {
  try { return localStorage.getItem(NAME_KEY) || ''; } catch (e) { return ''; }
}

function askName(current, change = false) {
  const input = el('name-input');
  input.value = current;
  if (current && !change) return Promise.resolve(current);
  show('name-panel', true);
  input.focus();
  return new Promise((resolve) => {
    el('name-form').onsubmit = (e) => {
      e.preventDefault();
      const chosen = cleanName(input.value).slice(0, 60);
      const problem = nameProblem(chosen);
      el('name-error').textContent = problem || '';
      el('name-error').hidden = !problem;
      if (problem) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      try { localStorage.setItem(NAME_KEY, chosen); } catch (err) { /* private mode */ }
      show('name-panel', false);
      resolve(chosen);
    };
  });
}

// ---- hooks for automated browser tests ---------------------------------------------

window.convene = {
  text: () => (view ? view.state.doc.toString() : ''),
  revision: () => (live && live.client ? live.client.revision : -1),
  state: () => (live ? live.state : 'offline'),
  clientId: () => (live && live.client ? live.client.clientId : ''),
  role: () => (live ? live.role : null),
  participants: () => (live ? [...live.people].map(([clientId, p]) => ({ clientId, ...p })) : []),
  authors: () => (view ? shownAuthors(view.state) : null), // [{author, length}] shown, or null
};
