// The Versions panel of the editor page: the list of named versions (save,
// publish, restore for admins), the public address once published
// (versions-public.js), a diff between any two versions or revisions (inline
// or side by side), and a history slider over every revision with the text
// coloured by author. While open it keeps up by itself: the list is polled
// (others save and publish too) and updated in place, the Compare choices
// follow new versions, and the slider's end follows the live revision. When
// the server cannot be reached it says so and tries again. Every text from the
// server goes into the page through textContent only; every word of ours comes
// from the catalog (docs/i18n.md). (Long, because the parts share one state.)

import { el, keepTabInSheet, show } from './dom.js';
import {
  directionOf, formatPercent, lang, t,
} from './i18n.js';
import {
  attributed, authorColor, authorLabel, authorName, authorTotals, call, compareDefaults, downloadPdf, editChoice,
  isolate, pdfPath, pointName, problemOf, relative, sides, summary, versionChoice, when,
} from './versions.js';
import { mountPublicBox } from './versions-public.js';

const SLIDER_DELAY_MS = 150; // a dragged slider asks for one revision, not fifty
const POLL_MS = 10000; // others' saves and publications show up within this while the panel is open
const RETRY_MS = 5000; // with the server out of reach, the panel tries again this often
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
    language: null, unreachable: false, chosen: { 'compare-from': false, 'compare-to': false }, versionCount: -1,
    historyTime: null, lastDiff: null,
  };
  const toggle = el('versions-toggle');
  const panel = el('versions-panel');
  const publicBox = mountPublicBox({ doc, say: announce });
  toggle.hidden = false;

  toggle.addEventListener('click', () => (isOpen() ? close(false) : open()));
  el('versions-close').addEventListener('click', () => close(true));
  // Escape closes the panel from wherever the focus is in it (or on its button) and gives the
  // focus back to the button that opened it.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !isOpen() || e.defaultPrevented) return;
    const at = document.activeElement;
    if (panel.contains(at) || at === toggle || at === document.body || !at) {
      e.preventDefault();
      close(true);
    }
  });
  // On a phone the open panel is a sheet over the whole page: Tab goes round inside it.
  keepTabInSheet(panel, el('versions-heading'));
  // A hidden tab does not poll; back in view (or back online), it catches up at once.
  document.addEventListener('visibilitychange', () => {
    if (isOpen() && document.visibilityState === 'visible') poll();
  });
  window.addEventListener('online', () => isOpen() && poll());
  el('version-form').addEventListener('submit', saveVersion);
  el('compare-form').addEventListener('submit', (e) => {
    e.preventDefault();
    compare();
  });
  for (const id of ['compare-from', 'compare-to']) {
    el(id).addEventListener('change', () => { state.chosen[id] = true; });
  }
  for (const radio of document.querySelectorAll('input[name="compare-mode"]')) {
    radio.addEventListener('change', () => state.lastDiff && renderDiff(state.lastDiff));
  }
  el('history-range').addEventListener('input', () => historyChanged());
  el('history-prev').addEventListener('click', () => step(-1));
  el('history-next').addEventListener('click', () => step(1));

  function isOpen() {
    return !panel.hidden;
  }

  function open() {
    show('versions-panel', true);
    toggle.setAttribute('aria-expanded', 'true');
    document.body.classList.add('versions-open');
    // Above the editor on a wide screen: the page goes to its top, so the panel starts in view
    // right under the toolbar (on a phone it is a sheet over the screen, always in view).
    if (getComputedStyle(panel).position !== 'fixed') window.scrollTo(0, 0);
    el('versions-heading').focus({ preventScroll: true });
    refresh().then(schedulePoll);
  }

  function close(returnFocus) {
    show('versions-panel', false);
    toggle.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('versions-open');
    clearTimeout(state.pollTimer);
    if (returnFocus) toggle.focus();
  }

  async function refresh() {
    const admin = role() === 'admin';
    el('version-form').hidden = !admin;
    el('versions-admin-only').hidden = admin || role() === null;
    try {
      const [list, live] = await Promise.all([call(`${base}/versions`, token), call(base, token)]);
      reachable();
      state.language = live.language || null;
      state.latest = Math.max(live.revision, revision());
      if (!takeList(list)) renderChoices();
      const range = el('history-range');
      const atEnd = Number(range.value) === Number(range.max) || range.max === '0';
      range.max = String(state.latest);
      if (atEnd) range.value = String(state.latest);
      historyChanged(0);
    } catch (e) {
      failed(e, true);
    }
  }

  // ---- keeping up while open -------------------------------------------------------

  function schedulePoll() {
    clearTimeout(state.pollTimer);
    if (isOpen()) state.pollTimer = setTimeout(poll, state.unreachable ? RETRY_MS : POLL_MS);
  }

  /** Others save, publish and restore too: a light look at the list, redrawn only when it changed. */
  async function poll() {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
    if (!isOpen() || document.visibilityState !== 'visible') return;
    if (state.unreachable) {
      await refresh(); // everything the panel shows may be out of date
    } else {
      try {
        const list = await call(`${base}/versions`, token);
        if (isOpen()) takeList(list);
      } catch (e) {
        if (problemOf(e) === 'offline') failed(e, true);
      }
      followLive();
    }
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
    publicBox.update(list.some((v) => v.current));
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
      showPosition();
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
        if (details && !details.hidden) {
          li.querySelector('.version-details').replaceWith(details);
          li.querySelector('[aria-controls]').setAttribute('aria-expanded', 'true');
        }
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
    number.textContent = t('versions.item.title', { number: v.number });
    const name = document.createElement('bdi');
    name.textContent = v.name;
    head.append(number, ' · ', name);
    if (v.published) head.append(' ', badge(v.current ? t('versions.item.current') : t('versions.item.published')));
    const meta = document.createElement('div');
    meta.className = 'hint';
    meta.textContent = v.createdBy
      ? t('versions.item.saved', { date: when(v.createdAt), name: isolate(v.createdBy) })
      : t('versions.item.savedAnonymous', { date: when(v.createdAt) });
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
    details.id = `version-details-${v.number}`;
    details.hidden = true;
    // Looked up on click: an open box is carried over when the item is redrawn.
    const more = button(t('versions.item.details'), () => showDetails(v, li.querySelector('.version-details'), more));
    more.setAttribute('aria-expanded', 'false');
    more.setAttribute('aria-controls', details.id);
    actions.append(more);
    actions.append(pdfLink(v, 'print', t('versions.item.pdfPrint')), pdfLink(v, 'reading', t('versions.item.pdfReading')));
    if (admin && !v.current) actions.append(button(t('versions.item.publish'), () => publish(v)));
    if (admin) actions.append(button(t('versions.item.restore'), () => restore(v)));
    li.append(actions, details);
    return li;
  }

  async function showDetails(v, box, opener) {
    if (!box.hidden) {
      box.hidden = true;
      opener.setAttribute('aria-expanded', 'false');
      return;
    }
    try {
      const [full, check] = await Promise.all([
        call(`${base}/versions/${v.number}`, token),
        call(`${base}/versions/${v.number}/verify`, token),
      ]);
      const sha = document.createElement('p');
      sha.className = 'hash';
      const shaLabel = document.createElement('span');
      shaLabel.textContent = `${t('versions.details.hash')} `;
      const shaValue = document.createElement('code');
      shaValue.dir = 'ltr';
      shaValue.textContent = full.sha256;
      sha.append(shaLabel, shaValue);
      const verified = document.createElement('p');
      verified.className = check.valid ? 'ok' : 'error';
      verified.textContent = check.valid
        ? t('versions.details.verified', { number: v.number })
        : t('versions.details.broken', { number: check.brokenAt });
      const credits = document.createElement('ul');
      credits.className = 'legend';
      credits.setAttribute('aria-label', t('versions.details.contributors'));
      credits.append(...full.contributors.map((c) => legendItem(c.initial ? '' : c.name, formatPercent(c.share))));
      const text = document.createElement('div');
      text.className = 'version-text';
      manifestoText(text);
      text.textContent = full.text;
      box.replaceChildren(sha, verified, credits, text);
      box.hidden = false;
      opener.setAttribute('aria-expanded', 'true');
    } catch (e) {
      failed(e);
    }
  }

  async function saveVersion(e) {
    e.preventDefault();
    const input = el('version-name');
    const name = input.value.trim();
    if (!name) {
      input.setAttribute('aria-invalid', 'true');
      show('version-name-error', true);
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    show('version-name-error', false);
    const body = { name, note: el('version-note').value };
    const who = localName();
    if (who) body.by = who;
    await act(el('version-save'), async () => {
      const v = await call(`${base}/versions`, token, { method: 'POST', body });
      input.value = '';
      el('version-note').value = '';
      announce(t('versions.saved', { number: v.number }));
    });
  }

  async function publish(v) {
    const done = await act(null, async () => {
      await call(`${base}/versions/${v.number}/publish`, token, { method: 'POST', body: byBody() });
      announce(t('versions.publishedNow', { number: v.number }));
    });
    // The Publish button is gone with the redrawn item: the focus goes to what publishing made.
    if (done) publicBox.focus();
  }

  async function restore(v) {
    // eslint-disable-next-line no-alert
    if (!window.confirm(t('versions.restore.confirm', { number: v.number, name: isolate(v.name) }))) return;
    await act(null, async () => {
      const r = await call(`${base}/versions/${v.number}/restore`, token, { method: 'POST', body: byBody() });
      announce(r.unchanged ? t('versions.restore.unchanged', { number: v.number }) : t('versions.restore.done', { number: v.number }));
    });
  }

  /** Runs what a person asked for; true when it was done. Its errors are reported, never retried. */
  async function act(busyButton, work) {
    // aria-disabled, not disabled: a disabled button would drop the keyboard's focus to the page.
    if (busyButton && busyButton.getAttribute('aria-disabled') === 'true') return false;
    error(null);
    if (busyButton) busyButton.setAttribute('aria-disabled', 'true');
    try {
      await work();
      await refresh();
      return true;
    } catch (e) {
      failed(e);
      return false;
    } finally {
      if (busyButton) busyButton.removeAttribute('aria-disabled');
    }
  }

  // ---- compare -------------------------------------------------------------------

  /**
   * The choices: the first text, every version, now, and the revision the slider shows. Until
   * someone picks, and again whenever a version is added, they are compareDefaults (the version
   * before the last against the last...); "Now" stays now as the text grows.
   */
  function renderChoices() {
    const now = `r${state.latest}`;
    const options = [['r0', editChoice(0)]];
    for (const v of state.versions) options.push([`v${v.number}`, versionChoice(v)]);
    if (state.latest > 0) options.push([now, t('versions.point.now')]);
    const slider = Number(el('history-range').value);
    if (slider !== state.latest && slider > 0) options.push([`r${slider}`, editChoice(slider, state.historyTime)]);
    const values = options.map(([value]) => value);
    const defaults = compareDefaults(state.versions, state.latest);
    const defaultOf = { 'compare-from': defaults.from, 'compare-to': defaults.to };
    if (state.versions.length !== state.versionCount) {
      // A version added (or the first list): the new one is what there is to see.
      state.versionCount = state.versions.length;
      state.chosen['compare-from'] = false;
      state.chosen['compare-to'] = false;
    }
    for (const id of ['compare-from', 'compare-to']) {
      const select = el(id);
      const keep = select.value === state.now ? now : select.value;
      // In place: a list someone has open, or is moving through, is not pulled away.
      options.forEach(([value, label], i) => {
        const o = select.options[i] || select.appendChild(document.createElement('option'));
        if (o.value !== value) o.value = value;
        if (o.textContent !== label) o.textContent = label;
      });
      while (select.options.length > options.length) select.remove(options.length);
      select.value = state.chosen[id] && values.includes(keep) ? keep : defaultOf[id];
    }
    state.now = now;
  }

  async function compare() {
    error(null);
    const from = el('compare-from').value;
    const to = el('compare-to').value;
    el('compare-summary').textContent = t('versions.compare.working');
    try {
      const d = await call(`${base}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, token);
      state.lastDiff = { ...d, fromName: pointName(from, state.latest), toName: pointName(to, state.latest) };
      renderDiff(state.lastDiff);
    } catch (e) {
      el('compare-summary').textContent = '';
      failed(e);
    }
  }

  function renderDiff(d) {
    const s = summary(d.changes);
    const from = d.fromName;
    const to = d.toName;
    if (s.inserted + s.deleted + s.moved === 0) {
      el('compare-summary').textContent = t('versions.compare.same', { from, to });
    } else {
      const parts = [];
      if (s.inserted) parts.push(t('versions.compare.inserted', { n: s.inserted }));
      if (s.deleted) parts.push(t('versions.compare.deleted', { n: s.deleted }));
      if (s.moved) parts.push(t('versions.compare.moved', { n: s.moved }));
      const changes = new Intl.ListFormat(lang(), { type: 'conjunction' }).format(parts);
      el('compare-summary').textContent = t('versions.compare.summary', { from, to, changes });
    }
    const mode = document.querySelector('input[name="compare-mode"]:checked').value;
    const box = el('diff');
    box.dataset.mode = mode;
    if (mode === 'inline') {
      box.replaceChildren(column(d.changes, t('versions.compare.changes', { from, to })));
    } else {
      const { left, right } = sides(d.changes);
      box.replaceChildren(column(left, t('versions.compare.before', { from })), column(right, t('versions.compare.after', { to })));
    }
  }

  function column(changes, label) {
    const div = document.createElement('div');
    div.className = 'diff-text';
    div.setAttribute('role', 'region');
    div.setAttribute('aria-label', label);
    div.tabIndex = 0; // scrollable regions must be reachable by keyboard
    manifestoText(div);
    for (const c of changes) {
      if (c.op === 'equal') {
        div.append(c.text);
        continue;
      }
      const mark = document.createElement(c.op === 'insert' ? 'ins' : 'del');
      mark.textContent = c.text;
      // Said by screen readers where a change starts (colour alone says nothing): versions.css.
      mark.dataset.said = c.op === 'insert' ? t('versions.diff.inserted') : t('versions.diff.deleted');
      if (c.move) {
        mark.className = 'moved';
        mark.title = c.op === 'insert' ? t('versions.diff.movedHere') : t('versions.diff.movedFrom');
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

  function showPosition() {
    const range = el('history-range');
    const r = Number(range.value);
    const at = r === 0 ? t('versions.history.start')
      : t('versions.history.at', { number: r, total: Number(range.max) });
    el('history-at').textContent = at;
    range.setAttribute('aria-valuetext', at);
  }

  function historyChanged(delay = SLIDER_DELAY_MS) {
    const r = Number(el('history-range').value);
    showPosition();
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
      state.historyTime = at.time;
      el('history-meta').textContent = at.time
        ? t('versions.history.time', { ago: relative(at.time), date: when(at.time) }) : '';
      el('history-legend').replaceChildren(...totals.map(([name, n]) => legendItem(name, formatPercent(n / total))));
      const text = el('history-text');
      manifestoText(text);
      text.replaceChildren(...attributed(at.text, at.runs).map((part) => {
        const span = document.createElement('span');
        span.textContent = part.text;
        span.style.backgroundColor = authorColor(part.author);
        span.title = authorName(part.author, t('versions.initialText'));
        span.dataset.author = part.author;
        return span;
      }));
      text.dataset.revision = String(at.revision);
      renderChoices();
    } catch (e) {
      if (asked === state.historyAsked) failed(e, true);
    } finally {
      if (asked === state.historyAsked) el('history-text').removeAttribute('aria-busy');
    }
  }

  // ---- small pieces --------------------------------------------------------------

  /** The manifesto's own language and direction on an element that shows its text. */
  function manifestoText(node) {
    if (!state.language) return;
    node.lang = state.language;
    node.dir = directionOf(state.language);
  }

  function legendItem(name, share) {
    const li = document.createElement('li');
    const dot = document.createElement('span');
    dot.className = 'swatch';
    dot.style.backgroundColor = authorColor(name);
    // The share in the interface's direction after a name that keeps its own.
    const amount = document.createElement('span');
    amount.textContent = share;
    li.append(dot, authorLabel(name, '', t('versions.initialText')), ' ', amount);
    return li;
  }

  // Published versions are public: a plain link. Drafts need the token, sent as a header only.
  function pdfLink(v, edition, label) {
    const path = pdfPath(doc, v.number, edition);
    if (!v.published) {
      return button(label, () => downloadPdf(path, token, `v${v.number}-${edition}.pdf`).catch((e) => failed(e)));
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

  /**
   * Says what went wrong in the interface's language, never the raw error. `loading`: the panel's
   * own reading, which it tries again by itself while the server is out of reach.
   */
  function failed(e, loading = false) {
    const problem = problemOf(e);
    if (problem === 'offline') {
      if (loading) {
        state.unreachable = true;
        schedulePoll();
        error(t('versions.error.retrying'));
      } else {
        error(t('versions.error.offline'));
      }
      return;
    }
    if (problem === 'denied') error(t('versions.error.denied'));
    else if (problem === 'missing') error(t('versions.error.missing'));
    else if (problem === 'invalid') error(t('versions.error.invalid'));
    else if (problem === 'busy') error(t('versions.error.busy'));
    else error(t('common.serverError'));
  }

  function reachable() {
    if (state.unreachable) error(null);
    state.unreachable = false;
  }

  function error(text) {
    const box = el('versions-error');
    if (box.textContent !== (text || '')) box.textContent = text || '';
    show('versions-error', Boolean(text));
  }

  return { revisionChanged };
}
