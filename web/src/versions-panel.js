// The Versions panel of the editor page: the list of named versions (save,
// publish, restore for admins), a diff between any two versions or revisions
// (inline or side by side), and a history slider over every revision with the
// text coloured by author. While open it keeps up by itself: the list is
// polled (others save and publish too) and updated in place, and the slider's
// end follows the live revision. Every text from the server goes into the page
// through textContent only. (Long, because the three parts share one state.)

import { el, show } from './dom.js';
import {
  attributed, authorColor, authorLabel, authorName, authorTotals, call, downloadPdf, pdfPath, sides, summary, when,
} from './versions.js';

const SLIDER_DELAY_MS = 150; // a dragged slider asks for one revision, not fifty
const POLL_MS = 10000; // others' saves and publications show up within this while the panel is open
const FOLLOW_MS = 2000; // the slider's end follows the live revision at most this often

/**
 * @param {object} o
 * @param {string} o.doc       the manifesto id
 * @param {string} o.token     the capability token of the page
 * @param {() => string|null} o.role      the role the server granted, once known
 * @param {() => number} o.revision       the live revision the editor is at (-1 before it opens)
 * @returns {{revisionChanged: () => void}} to call when the live revision moves on
 */
export function mountVersions({ doc, token, role, revision }) {
  const base = `/api/manifestos/${encodeURIComponent(doc)}`;
  const state = {
    versions: [], listKey: null, latest: 0, now: null, historyAsked: 0, timer: null, pollTimer: null, followTimer: null,
  };
  const toggle = el('versions-toggle');
  toggle.hidden = false;

  toggle.addEventListener('click', () => {
    const open = !isOpen();
    show('versions-panel', open);
    toggle.setAttribute('aria-expanded', String(open));
    if (open) refresh().then(schedulePoll);
    else clearTimeout(state.pollTimer);
  });
  // A hidden tab does not poll; back in view, it catches up at once.
  document.addEventListener('visibilitychange', () => {
    if (isOpen() && document.visibilityState === 'visible') poll();
  });
  el('version-form').addEventListener('submit', saveVersion);
  el('compare-form').addEventListener('submit', (e) => {
    e.preventDefault();
    compare();
  });
  for (const radio of document.querySelectorAll('input[name="compare-mode"]')) {
    radio.addEventListener('change', () => state.lastDiff && renderDiff(state.lastDiff));
  }
  el('history-range').addEventListener('input', () => historyChanged());
  el('history-prev').addEventListener('click', () => step(-1));
  el('history-next').addEventListener('click', () => step(1));

  function isOpen() {
    return !el('versions-panel').hidden;
  }

  async function refresh() {
    error(null);
    el('version-form').hidden = role() !== 'admin';
    try {
      const [list, live] = await Promise.all([call(`${base}/versions`, token), call(base, token)]);
      state.latest = Math.max(live.revision, revision());
      if (!takeList(list)) renderChoices();
      const range = el('history-range');
      const atEnd = Number(range.value) === Number(range.max) || range.max === '0';
      range.max = String(state.latest);
      if (atEnd) range.value = String(state.latest);
      historyChanged(0);
    } catch (e) {
      error(e.message);
    }
  }

  // ---- keeping up while open -------------------------------------------------------

  function schedulePoll() {
    clearTimeout(state.pollTimer);
    if (isOpen()) state.pollTimer = setTimeout(poll, POLL_MS);
  }

  /** Others save, publish and restore too: a light look at the list, redrawn only when it changed. */
  async function poll() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
    if (!isOpen() || document.visibilityState !== 'visible') return;
    try {
      const list = await call(`${base}/versions`, token);
      if (isOpen()) takeList(list);
    } catch (e) {
      // missed: the next poll asks again (the user's own actions report their errors)
    }
    followLive();
    schedulePoll();
  }

  /** The list as the server has it; false when it is what is shown already. */
  function takeList(list) {
    const key = JSON.stringify([list, role()]);
    if (key === state.listKey) return false;
    state.listKey = key;
    state.versions = list;
    renderList();
    renderChoices();
    return true;
  }

  function revisionChanged() {
    if (!isOpen() || state.followTimer) return;
    state.followTimer = setTimeout(() => {
      state.followTimer = null;
      followLive();
    }, FOLLOW_MS);
  }

  /** The slider reaches the live revision; at its end it stays there, showing the newest text. */
  function followLive() {
    const live = revision();
    if (!isOpen() || live <= state.latest) return;
    const range = el('history-range');
    const atEnd = Number(range.value) === Number(range.max);
    state.latest = live;
    range.max = String(live);
    // Someone selecting the text shown keeps it: it is not replaced under their hands.
    const selection = document.getSelection();
    const reading = selection && !selection.isCollapsed && el('history-text').contains(selection.anchorNode);
    if (atEnd && !reading) {
      range.value = String(live);
      historyChanged(0);
    } else {
      el('history-at').textContent = `${range.value} of ${range.max}`;
      renderChoices();
    }
  }

  // ---- versions ------------------------------------------------------------------

  /**
   * Updates the list in place: an unchanged version keeps its element (so focus, an open Details
   * and the scroll position stay), a changed one is replaced where it stands, new ones go on top.
   */
  function renderList() {
    const admin = role() === 'admin';
    const list = el('versions-list');
    const old = new Map([...list.children].map((li) => [li.dataset.number, li]));
    const items = [...state.versions].reverse().map((v) => {
      const key = JSON.stringify([v, admin]);
      const had = old.get(String(v.number));
      if (had && had.dataset.key === key) return had;
      const li = versionItem(v, admin);
      li.dataset.key = key;
      if (had) {
        const focused = had.contains(document.activeElement) ? document.activeElement.textContent : null;
        const details = had.querySelector('.version-details');
        had.replaceWith(li);
        if (details && !details.hidden) li.querySelector('.version-details').replaceWith(details);
        if (focused !== null) {
          const buttons = [...li.querySelectorAll('button, a')];
          (buttons.find((b) => b.textContent === focused) || buttons[0]).focus();
        }
      }
      return li;
    });
    const keep = new Set(items);
    for (const li of [...list.children]) if (!keep.has(li)) li.remove();
    let cursor = list.firstElementChild;
    for (const li of items) {
      if (li === cursor) cursor = cursor.nextElementSibling;
      else list.insertBefore(li, cursor);
    }
    show('versions-empty', items.length === 0);
  }

  function versionItem(v, admin) {
    const li = document.createElement('li');
    li.className = 'version';
    li.dataset.number = String(v.number);
    const head = document.createElement('div');
    head.className = 'version-head';
    const number = document.createElement('strong');
    number.textContent = `v${v.number}`;
    const name = document.createElement('span');
    name.dir = 'auto';
    name.textContent = v.name;
    head.append(number, ' ', name);
    if (v.published) head.append(' ', badge(v.current ? 'Published (public page)' : 'Published'));
    const meta = document.createElement('div');
    meta.className = 'hint';
    meta.textContent = `${when(v.createdAt)} · ${v.createdBy} · revision ${v.revision}`;
    li.append(head, meta);
    if (v.note) {
      const note = document.createElement('p');
      note.className = 'note';
      note.dir = 'auto';
      note.textContent = v.note;
      li.append(note);
    }
    const actions = document.createElement('div');
    actions.className = 'version-actions';
    const details = document.createElement('div');
    details.className = 'version-details';
    details.hidden = true;
    // Looked up on click: an open box is carried over when the item is redrawn.
    actions.append(button('Details', () => showDetails(v, li.querySelector('.version-details'))));
    for (const edition of ['print', 'reading']) actions.append(pdfLink(v, edition));
    if (admin && !v.current) actions.append(button('Publish', () => publish(v)));
    if (admin) actions.append(button('Restore', () => restore(v)));
    li.append(actions, details);
    return li;
  }

  async function showDetails(v, box) {
    if (!box.hidden) {
      box.hidden = true;
      return;
    }
    try {
      const [full, check] = await Promise.all([
        call(`${base}/versions/${v.number}`, token),
        call(`${base}/versions/${v.number}/verify`, token),
      ]);
      const sha = document.createElement('p');
      sha.className = 'hash';
      sha.textContent = `SHA-256 ${full.sha256}`;
      const verified = document.createElement('p');
      verified.className = check.valid ? 'ok' : 'error';
      verified.textContent = check.valid
        ? `Chain verified: versions 1 to ${v.number} are as they were saved.`
        : `Chain broken at version ${check.brokenAt}: ${check.reason}`;
      const credits = document.createElement('ul');
      credits.className = 'legend';
      credits.setAttribute('aria-label', 'Contributors');
      credits.append(...full.contributors.map((c) => legendItem(c.name, `${Math.round(c.share * 100)}%`)));
      const text = document.createElement('div');
      text.className = 'version-text';
      text.textContent = full.text;
      box.replaceChildren(sha, verified, credits, text);
      box.hidden = false;
    } catch (e) {
      error(e.message);
    }
  }

  async function saveVersion(e) {
    e.preventDefault();
    const name = el('version-name').value.trim();
    if (!name) {
      el('version-name').setAttribute('aria-invalid', 'true');
      el('version-name').focus();
      return;
    }
    el('version-name').removeAttribute('aria-invalid');
    const body = { name, note: el('version-note').value };
    const who = localName();
    if (who) body.by = who;
    await act(el('version-save'), async () => {
      const v = await call(`${base}/versions`, token, { method: 'POST', body });
      el('version-name').value = '';
      el('version-note').value = '';
      announce(`Saved as version ${v.number}.`);
    });
  }

  async function publish(v) {
    await act(null, async () => {
      await call(`${base}/versions/${v.number}/publish`, token, { method: 'POST', body: byBody() });
      announce(`Version ${v.number} is published at ${location.origin}/p/${doc}`);
    });
  }

  async function restore(v) {
    // eslint-disable-next-line no-alert
    if (!window.confirm(`Bring back the text of version ${v.number} (“${v.name}”)? It becomes a new edit that everyone sees; nothing in the history is lost.`)) return;
    await act(null, async () => {
      const r = await call(`${base}/versions/${v.number}/restore`, token, { method: 'POST', body: byBody() });
      announce(r.unchanged ? `The text already is version ${v.number}.` : `Version ${v.number} restored (revision ${r.revision}).`);
    });
  }

  async function act(busyButton, work) {
    error(null);
    if (busyButton) busyButton.disabled = true;
    try {
      await work();
      await refresh();
    } catch (e) {
      error(e.fields ? Object.values(e.fields).join(' ') : e.message);
    } finally {
      if (busyButton) busyButton.disabled = false;
    }
  }

  // ---- compare -------------------------------------------------------------------

  /** From the version before the last to the last; with one version, from it to now. */
  function renderChoices() {
    const now = `r${state.latest}`;
    const options = state.versions.map((v) => [`v${v.number}`, `v${v.number} · ${v.name}`]);
    options.push([now, `Now (revision ${state.latest})`]);
    const slider = el('history-range').value;
    if (Number(slider) !== state.latest) options.push([`r${slider}`, `History slider (revision ${slider})`]);
    const values = options.map(([value]) => value);
    const named = values.filter((v) => v.startsWith('v'));
    const defaults = {
      'compare-from': named.length >= 2 ? named[named.length - 2] : values[0],
      'compare-to': named.length >= 2 ? named[named.length - 1] : now,
    };
    for (const id of ['compare-from', 'compare-to']) {
      const select = el(id);
      const keep = select.value === state.now ? now : select.value; // "Now" stays now as the text grows
      // In place: a list someone has open, or is moving through, is not pulled away.
      options.forEach(([value, label], i) => {
        const o = select.options[i] || select.appendChild(document.createElement('option'));
        if (o.value !== value) o.value = value;
        if (o.textContent !== label) o.textContent = label;
      });
      while (select.options.length > options.length) select.remove(options.length);
      select.value = values.includes(keep) ? keep : defaults[id];
    }
    state.now = now;
  }

  async function compare() {
    error(null);
    const from = el('compare-from').value;
    const to = el('compare-to').value;
    el('compare-summary').textContent = 'Comparing…';
    try {
      const d = await call(`${base}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, token);
      state.lastDiff = d;
      renderDiff(d);
    } catch (e) {
      el('compare-summary').textContent = '';
      error(e.message);
    }
  }

  function renderDiff(d) {
    const s = summary(d.changes);
    el('compare-summary').textContent = s.inserted + s.deleted + s.moved === 0
      ? `${d.from} and ${d.to} are the same text.`
      : `${d.from} → ${d.to}: ${s.inserted} words inserted, ${s.deleted} deleted${s.moved ? `, ${s.moved} paragraphs moved` : ''}.`;
    const mode = document.querySelector('input[name="compare-mode"]:checked').value;
    const box = el('diff');
    box.dataset.mode = mode;
    if (mode === 'inline') {
      box.replaceChildren(column(d.changes, `Changes from ${d.from} to ${d.to}`));
    } else {
      const { left, right } = sides(d.changes);
      box.replaceChildren(column(left, d.from), column(right, d.to));
    }
  }

  function column(changes, label) {
    const div = document.createElement('div');
    div.className = 'diff-text';
    div.setAttribute('role', 'region');
    div.setAttribute('aria-label', label);
    div.tabIndex = 0; // scrollable regions must be reachable by keyboard
    for (const c of changes) {
      if (c.op === 'equal') {
        div.append(c.text);
        continue;
      }
      const mark = document.createElement(c.op === 'insert' ? 'ins' : 'del');
      mark.textContent = c.text;
      if (c.move) {
        mark.className = 'moved';
        mark.title = c.op === 'insert' ? 'Moved here' : 'Moved from here';
      }
      div.append(mark);
    }
    return div;
  }

  // ---- history -------------------------------------------------------------------

  function step(delta) {
    const range = el('history-range');
    range.value = String(Math.min(Number(range.max), Math.max(0, Number(range.value) + delta)));
    historyChanged(0);
  }

  function historyChanged(delay = SLIDER_DELAY_MS) {
    const r = Number(el('history-range').value);
    el('history-at').textContent = `${r} of ${el('history-range').max}`;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => loadRevision(r), delay);
  }

  async function loadRevision(r) {
    const asked = ++state.historyAsked;
    el('history-text').setAttribute('aria-busy', 'true');
    try {
      const at = await call(`${base}/revisions/${r}?authors=true`, token);
      if (asked !== state.historyAsked) return; // the slider has moved on
      const totals = authorTotals(at.runs);
      const total = at.text.length || 1;
      el('history-meta').textContent = `Revision ${at.revision}${at.time ? `, ${when(at.time)}` : ''}`;
      el('history-legend').replaceChildren(...totals.map(([name, n]) => legendItem(name, `${Math.round((100 * n) / total)}%`)));
      el('history-text').replaceChildren(...attributed(at.text, at.runs).map((part) => {
        const span = document.createElement('span');
        span.textContent = part.text;
        span.style.backgroundColor = authorColor(part.author);
        span.title = authorName(part.author);
        span.dataset.author = part.author;
        return span;
      }));
      el('history-text').dataset.revision = String(at.revision);
      renderChoices();
    } catch (e) {
      if (asked === state.historyAsked) error(e.message);
    } finally {
      if (asked === state.historyAsked) el('history-text').removeAttribute('aria-busy');
    }
  }

  // ---- small pieces --------------------------------------------------------------

  function legendItem(name, share) {
    const li = document.createElement('li');
    const dot = document.createElement('span');
    dot.className = 'swatch';
    dot.style.backgroundColor = authorColor(name);
    li.append(dot, authorLabel(name, ` ${share}`));
    return li;
  }

  // Published versions are public: a plain link. Drafts need the token, sent as a header only.
  function pdfLink(v, edition) {
    const path = pdfPath(doc, v.number, edition);
    const label = `PDF (${edition})`;
    if (!v.published) {
      return button(label, () => downloadPdf(path, token, `v${v.number}-${edition}.pdf`).catch((e) => error(e.message)));
    }
    const a = document.createElement('a');
    a.href = path;
    a.target = '_blank';
    a.rel = 'noopener';
    a.className = 'pdf-link';
    a.textContent = label;
    return a;
  }

  function badge(text) {
    const b = document.createElement('span');
    b.className = 'badge';
    b.textContent = text;
    return b;
  }

  function button(text, onClick) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', onClick);
    return b;
  }

  function byBody() {
    const who = localName();
    return who ? { by: who } : {};
  }

  function localName() {
    try { return (localStorage.getItem('convene.name') || '').slice(0, 60); } catch (e) { return ''; }
  }

  function announce(text) {
    el('versions-status').textContent = text;
  }

  function error(text) {
    el('versions-error').textContent = text || '';
    show('versions-error', Boolean(text));
  }

  return { revisionChanged };
}
