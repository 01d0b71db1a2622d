// The live editor page: /m/{id}/edit, /m/{id}/view and /m/{id}/admin, with the
// capability token in the fragment (#token=...). This file builds the page:
// CodeMirror, the toolbar, the name prompt; sync.js keeps the text in step
// with the server.
//
// Every state a person can meet has words (docs/editor.md): a link without its token, a token the
// server does not take, a reader's page (read only, never asked for a name), offline, errors. The
// interface's language (i18n.js) is kept apart from the manifesto's own, which the text carries.

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
import { clean } from './text.js';
import { el, readToken, show } from './dom.js';
import { authorColours, mountAuthors, shownAuthors } from './authors-view.js';
import { directionOf, mountLanguageSwitches, t } from './i18n.js';
import { mountVersions } from './versions-panel.js';
import { mountSigning } from './signing-panel.js';
import { askName, forgetName, isOpenForChange, rememberedName } from './name-prompt.js';
import { renderPeople, statusShower } from './toolbar.js';

const LANGUAGE_TAG = /^[A-Za-z0-9-]{1,35}$/;

const match = /^\/m\/([^/]+)\/(edit|view|admin)\/?$/.exec(location.pathname);
const doc = match ? decodeURIComponent(match[1]) : null;
const viewOnly = match ? match[2] === 'view' : true;
const token = readToken();

let view = null; // EditorView
let live = null; // LiveDocument
let authors = null; // the "Show authors" hooks (authors-view.js)
let versions = null; // the Versions panel's hooks (versions-panel.js)
let signing = null; // the Signing panel's hooks (signing-panel.js), admins only
let manifestoLanguage = null;
let focusWhenEditable = false; // the person just joined: the text is where they go next
const editable = new Compartment();
const showStatus = statusShower({ box: el('status'), announce: el('announce') });

// Switching the language reloads the page: the fragment (#token=...) stays, and so does unsaved
// typing (kept in sessionStorage on pagehide, see below).
mountLanguageSwitches();
el('message-close').addEventListener('click', () => show('message', false));
el('skip').addEventListener('click', (e) => {
  if (view && el('name-panel').hidden) {
    e.preventDefault();
    view.focus();
  }
});
document.addEventListener('keydown', onEscape);

if (!doc) {
  linkProblem(t('editor.link.wrongTitle'), t('editor.link.wrong'));
} else if (!token) {
  linkProblem(t('editor.link.incompleteTitle'), t('editor.link.incomplete'));
} else {
  begin();
}

/** Checks the link before asking anything, then asks for a name (not on a reader's page). */
async function begin() {
  const checked = await loadManifesto();
  if (checked === 401 || checked === 403) {
    linkProblem(t('editor.link.invalidTitle'), t('editor.link.invalid'));
    return;
  }
  if (checked === 404) {
    linkProblem(t('editor.link.goneTitle'), t('editor.error.gone'));
    return;
  }
  const known = rememberedName();
  if (viewOnly) {
    // Readers appear in the people list, so the server needs a name; they are not asked for one.
    start(known || t('editor.readerName'));
    return;
  }
  const asked = !known;
  if (asked) show('status', false); // nothing connects until the person has joined
  const name = await askName(known);
  focusWhenEditable = asked;
  start(name);
}

/** The manifesto's title and language, shown; returns the HTTP status (0: not reached). */
async function loadManifesto() {
  let res;
  try {
    res = await fetch(`/api/manifestos/${encodeURIComponent(doc)}`, {
      headers: { Authorization: `Bearer ${token}` },
      credentials: 'same-origin',
    });
  } catch (e) {
    return 0; // offline or the server is down: the connection says so, and keeps trying
  }
  if (!res.ok) return res.status;
  try {
    const m = await res.json();
    if (typeof m.title === 'string') {
      el('title').textContent = m.title;
      document.title = t('editor.documentTitle', { title: m.title });
    }
    if (typeof m.language === 'string' && LANGUAGE_TAG.test(m.language)) {
      manifestoLanguage = m.language;
      el('title').lang = m.language;
    }
  } catch (e) { /* the title is a nicety; the editor works without it */ }
  return res.status;
}

/** A link that cannot work: say why, instead of "Connecting..." forever. */
function linkProblem(title, text) {
  el('link-problem-heading').textContent = title;
  el('link-problem-text').textContent = text;
  document.title = t('editor.documentTitle', { title });
  show('link-problem', true);
  show('name-panel', false);
  notConnected();
}

async function start(name) {
  el('whoami').textContent = name;
  show('rename', true);
  show('people', true);
  show('status', true);
  let session = loadSession(doc);
  // A duplicated tab carries our sessionStorage: if the original is still
  // open, this page starts its own session instead of taking over.
  if (!(await claimSession(doc, session.clientId))) session = {};
  view = createEditor(session.pending ? session.pending.text : '');
  if (manifestoLanguage) {
    // The manifesto's own language and direction, whatever the interface's: empty lines and the
    // caret on them follow it (each line with text takes the direction of its first letter).
    el('editor').lang = manifestoLanguage;
    el('editor').dir = directionOf(manifestoLanguage);
    view.contentDOM.lang = manifestoLanguage;
  }
  if (focusWhenEditable) view.focus();
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
      el('rename').focus();
      if (chosen === null || chosen === live.name) return;
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
        EditorView.contentAttributes.of({ 'aria-label': t('editor.textLabel'), spellcheck: 'true', autocapitalize: 'sentences' }),
        // The wide screen's toolbar stays on top: the cursor is never scrolled under it.
        EditorView.scrollMargins.of(() => ({ top: stickyToolbarHeight() })),
        editable.of(readOnly(true)),
        EditorView.updateListener.of(onEditorUpdate),
      ],
    }),
  });
}

/** Read only: not editable, but still reachable by keyboard (to read, select and copy). */
function readOnly(yes) {
  return [
    EditorState.readOnly.of(yes), EditorView.editable.of(!yes),
    yes ? EditorView.contentAttributes.of({ tabindex: '0' }) : [],
  ];
}

function stickyToolbarHeight() {
  const bar = document.querySelector('.toolbar');
  return bar && getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().height : 0;
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
    setEditable: (yes) => {
      view.dispatch({ effects: editable.reconfigure(readOnly(!yes)) });
      if (yes && focusWhenEditable) {
        focusWhenEditable = false;
        if (document.activeElement === document.body || document.activeElement === view.contentDOM) view.focus();
      }
    },
    showRemote: (clientId, person, ranges) => view.dispatch({ effects: setRemoteSelection.of({ clientId, ...person, ranges }) }),
    hideRemote: (clientId) => view.dispatch({ effects: removeRemote.of(clientId) }),
    remoteIds: () => [...remoteSelectionsOf(view.state).keys()],
  };
}

// ---- toolbar and messages -------------------------------------------------------

function status(state) {
  authors.follow(); // after an open, the page may have a new client
  const stale = state === 'offline' && live.everOpened;
  el('people').toggleAttribute('data-stale', stale);
  show('people-stale', stale);
  show('people-stale-note', stale);
  showStatus(state, { everOpened: live.everOpened, canEdit: live.canEdit });
}

function showRole(role) {
  el('role').textContent = role === 'admin' ? t('editor.role.admin')
    : role === 'editor' && !viewOnly ? t('editor.role.editor') : t('editor.role.viewer');
  // What this link lets one do, and how to do more: said where Save and Publish would be.
  const note = !live.canEdit ? t('editor.note.reader') : role === 'editor' ? t('editor.note.editor') : '';
  el('role-note').textContent = note;
  show('role-note', Boolean(note));
  if (signing) signing.roleKnown(role);
}

function showPeople(people, selfId) {
  renderPeople(el('participants'), el('people-count'), people, selfId);
}

function showMessage(text) {
  el('message-text').textContent = text;
  show('message', true);
}

/** The server refused our name (its rule has the last word): forget it, so a reload asks again. */
function nameRefused(why) {
  console.warn('name refused:', why);
  forgetName();
  showFatal(t('editor.name.refused'));
}

/** Nothing more can happen on this page: say why, and take away what no longer works. */
function showFatal(text) {
  showMessage(text);
  el('message-close').hidden = true;
  for (const id of ['people', 'authors-toggle', 'versions-toggle', 'signing-toggle', 'authors-legend', 'versions-panel', 'signing-panel', 'role-note']) {
    show(id, false);
  }
  notConnected();
}

function notConnected() {
  const box = el('status');
  box.dataset.state = 'offline';
  box.textContent = t('editor.status.notConnected');
  box.hidden = false;
}

/** Escape closes what the editor page opened (the people list, the name prompt when renaming). */
function onEscape(e) {
  if (e.key !== 'Escape' || e.defaultPrevented) return;
  const people = el('people');
  if (people.open && people.contains(document.activeElement)) {
    people.open = false;
    people.querySelector('summary').focus();
    e.preventDefault();
    return;
  }
  if (isOpenForChange()) {
    el('name-cancel').click();
    e.preventDefault();
  }
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
