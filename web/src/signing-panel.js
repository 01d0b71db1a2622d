// The Signing panel of the editor page, for admins: the settings (email
// required, goal, deadline, open, per-IP limits, the kiosk and its link), the
// live count with the counts by country and by day as bars with their numbers,
// exports (fetched with the token in a header, saved from a blob), the abuse
// report, invalidation by filter with a dry run first (and its undo), and
// erasing a signer's personal data. Every word from the catalog (i18n.js); the
// server's English messages are never shown, its failures are said by status
// and field. What people wrote goes in through textContent, isolated.
// (Long, as the Versions panel is: one panel, five small tools sharing its state and messages.)

import { el, keepTabInSheet, show } from './dom.js';
import { call, dispositionName } from './versions.js';
import { followCount } from './sign-live.js';
import { formatDate, formatNumber, lang, t } from './i18n.js';
import { bars, countryRows, isolate, progress } from './sign.js';

const language = lang();

/** The panel's input for each field the server may name in a 400. */
const INPUTS = {
  goal: 'set-goal',
  deadline: 'set-deadline',
  rateLimit: 'set-burst',
  perIpBurst: 'set-burst',
  perIpPerHour: 'set-hour',
  kioskPerMinute: 'set-kiosk-minute',
  requireEmail: 'set-require-email',
  open: 'set-open',
  kiosk: 'set-kiosk',
  ip: 'inv-ip',
  domain: 'inv-domain',
  from: 'inv-from',
  to: 'inv-to',
  reason: 'inv-reason',
  email: 'erase-email',
  id: 'erase-email',
};

/**
 * A failed call in words: the fields it names (by their labels, each input marked invalid), or
 * what the status means. Never the server's English message.
 */
export function problem(e) {
  if (e && e.fields && typeof e.fields === 'object') {
    const labels = [];
    for (const field of Object.keys(e.fields)) {
      const input = INPUTS[field] && document.getElementById(INPUTS[field]);
      if (input) input.setAttribute('aria-invalid', 'true');
      const label = input && document.querySelector(`label[for="${input.id}"]`);
      labels.push(label ? label.firstChild.textContent.trim() : field);
    }
    return t('signing.panel.checkFields', { fields: new Intl.ListFormat(language, { type: 'conjunction' }).format(labels) });
  }
  const status = e && e.status;
  if (!status) return t('signing.panel.unreachable');
  if (status === 401 || status === 403) return t('signing.panel.denied');
  if (status === 404) return t('signing.panel.notFound');
  if (status === 429) return t('signing.panel.busy');
  return t('common.serverError');
}

/**
 * @param {object} o
 * @param {string} o.doc
 * @param {string} o.token
 * @returns {{roleKnown: (role: string) => void}} shows the button once the role is admin
 */
export function mountSigning({ doc, token }) {
  const base = `/api/manifestos/${encodeURIComponent(doc)}`;
  const toggle = el('signing-toggle');
  const state = { live: null, settings: null, checked: null };

  const panel = el('signing-panel');
  toggle.addEventListener('click', () => (panel.hidden ? open() : close(false)));
  el('signing-close').addEventListener('click', () => close(true));
  // Escape closes the panel from wherever the focus is in it (or on its button), and the focus
  // goes back to the button that opened it.
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || panel.hidden || e.defaultPrevented) return;
    const at = document.activeElement;
    if (panel.contains(at) || at === toggle || at === document.body || !at) {
      e.preventDefault();
      close(true);
    }
  });
  // On a phone the open panel is a sheet over the whole page: Tab goes round inside it.
  keepTabInSheet(panel, el('signing-heading'));

  function open() {
    show('signing-panel', true);
    toggle.setAttribute('aria-expanded', 'true');
    document.body.classList.add('signing-open');
    if (getComputedStyle(panel).position !== 'fixed') window.scrollTo(0, 0);
    el('signing-heading').focus({ preventScroll: true });
    load();
    state.live = followCount({ doc, onCount: showCount });
  }

  function close(returnFocus) {
    show('signing-panel', false);
    toggle.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('signing-open');
    if (state.live) {
      state.live.stop();
      state.live = null;
    }
    if (returnFocus) toggle.focus();
  }
  el('signing-form').addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  el('kiosk-copy').addEventListener('click', () => copy(el('kiosk-link').textContent));
  el('export-csv').addEventListener('click', () => download('export.csv', `signatures-${doc}.csv`));
  el('export-json').addEventListener('click', () => download('export.json', `signatures-${doc}.json`));
  el('abuse-load').addEventListener('click', abuse);
  el('invalidate-form').addEventListener('submit', (e) => {
    e.preventDefault();
    invalidate(true);
  });
  el('invalidate-apply').addEventListener('click', () => invalidate(false));
  // A changed filter needs a new dry run before it can be applied.
  el('invalidate-form').addEventListener('input', () => {
    state.checked = null;
    el('invalidate-apply').hidden = true;
    el('invalidate-result').textContent = '';
  });
  // A field marked invalid is unmarked as soon as it is changed.
  el('signing-panel').addEventListener('input', (e) => {
    if (e.target && e.target.removeAttribute) e.target.removeAttribute('aria-invalid');
  });
  el('erase-form').addEventListener('submit', (e) => {
    e.preventDefault();
    erase();
  });

  async function load() {
    error(null);
    try {
      state.settings = await call(`${base}/signing`, token);
      fill(state.settings);
    } catch (e) {
      error(t('signing.panel.loadFailed', { problem: problem(e) }));
    }
    stats();
    invalidations();
  }

  // ---- settings ------------------------------------------------------------------

  function fill(s) {
    el('set-require-email').checked = s.requireEmail !== false;
    el('set-open').checked = s.open !== false;
    el('set-goal').value = String(s.goal || 0);
    el('set-deadline').value = s.deadline ? localInput(s.deadline) : '';
    el('set-burst').value = String(s.rateLimit ? s.rateLimit.perIpBurst : '');
    el('set-hour').value = String(s.rateLimit ? s.rateLimit.perIpPerHour : '');
    el('set-kiosk').checked = Boolean(s.kiosk);
    el('set-kiosk-minute').value = String(s.kioskPerMinute ?? '');
    const link = s.kiosk && s.kioskKey ? `${location.origin}/p/${encodeURIComponent(doc)}/kiosk#key=${encodeURIComponent(s.kioskKey)}` : '';
    el('kiosk-link').textContent = link;
    show('kiosk-box', Boolean(link));
    el('public-link').href = `/p/${encodeURIComponent(doc)}`;
    el('public-link').textContent = `${location.origin}/p/${doc}`;
    el('public-link').dir = 'ltr';
  }

  async function save() {
    error(null);
    const number = (id) => Number(el(id).value || 0);
    const deadline = el('set-deadline').value;
    const body = {
      requireEmail: el('set-require-email').checked,
      open: el('set-open').checked,
      goal: number('set-goal'),
      deadline: deadline ? new Date(deadline).toISOString() : null,
      rateLimit: { perIpBurst: number('set-burst'), perIpPerHour: number('set-hour') },
      kiosk: el('set-kiosk').checked,
      kioskPerMinute: number('set-kiosk-minute'),
    };
    const button = el('signing-save');
    button.disabled = true;
    for (const input of el('signing-form').querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    try {
      state.settings = await call(`${base}/signing`, token, { method: 'PUT', body });
      fill(state.settings);
      announce(t('signing.panel.saved'));
    } catch (e) {
      error(t('signing.panel.saveFailed', { problem: problem(e) }));
    } finally {
      button.disabled = false;
    }
  }

  // ---- count and charts --------------------------------------------------------------

  function showCount(c) {
    const goal = c.goal ?? (state.settings && state.settings.goal);
    const { text, ratio } = progress(c.confirmed, goal, language);
    el('admin-count').textContent = text;
    el('admin-count').dataset.confirmed = String(c.confirmed);
    el('admin-meter').hidden = ratio === null;
    if (ratio !== null) el('admin-meter').value = ratio;
    chart('chart-country', countryRows(c.byCountry, language).map(([, name, n]) => [name, n]));
  }

  async function stats() {
    try {
      const s = await call(`${base}/signatures/stats`, token);
      const days = (s.byDay || []).map((d) => [day(d.day), d.confirmed]);
      chart('chart-day', days);
      chart('chart-language', languageRows(s.byLanguage));
      show('chart-day-missing', false);
    } catch (e) {
      show('chart-day-missing', true);
      el('chart-day-missing').textContent = t('signing.panel.statsFailed', { problem: problem(e) });
    }
  }

  /** Bars with their label and number as text; the bar itself is decoration. */
  function chart(id, rows) {
    const list = el(id);
    list.replaceChildren(...bars(rows).map(({ label, value, percent }) => {
      const li = document.createElement('li');
      const name = document.createElement('span');
      name.className = 'bar-label';
      name.dir = 'auto';
      name.textContent = label;
      const track = document.createElement('span');
      track.className = 'bar-track';
      track.setAttribute('aria-hidden', 'true');
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.inlineSize = `${percent}%`;
      track.append(bar);
      const number = document.createElement('span');
      number.className = 'bar-value';
      number.textContent = formatNumber(value);
      li.append(name, track, number);
      return li;
    }));
    const empty = document.createElement('li');
    empty.className = 'hint';
    empty.textContent = t('signing.panel.noneYet');
    if (rows.length === 0) list.append(empty);
  }

  // ---- exports -------------------------------------------------------------------------

  async function download(file, fallback) {
    error(null);
    try {
      const res = await fetch(`${base}/signatures/${file}`, { headers: { Authorization: `Bearer ${token}` }, credentials: 'same-origin' });
      if (!res.ok) {
        const failed = new Error(`HTTP ${res.status}`);
        failed.status = res.status;
        throw failed;
      }
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = dispositionName(res.headers.get('Content-Disposition'), fallback);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      error(t('signing.panel.exportFailed', { problem: problem(e) }));
    }
  }

  // ---- abuse ---------------------------------------------------------------------------

  async function abuse() {
    error(null);
    try {
      const r = await call(`${base}/signatures/report?minutes=60&top=20`, token);
      table('abuse-ips', (r.ips || []).map((x) => [x.ip, x.signatures]));
      table('abuse-domains', (r.domains || []).map((x) => [x.domain, x.signatures]));
      show('abuse-result', true);
    } catch (e) {
      error(t('signing.panel.reportFailed', { problem: problem(e) }));
    }
  }

  function table(id, rows) {
    el(id).replaceChildren(...rows.map(([key, n]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.className = 'hash';
      th.dir = 'ltr';
      th.textContent = key;
      const td = document.createElement('td');
      td.textContent = formatNumber(n);
      tr.append(th, td);
      return tr;
    }));
  }

  function filter() {
    const f = {};
    const put = (key, id) => { const v = el(id).value.trim(); if (v) f[key] = v; };
    put('ip', 'inv-ip');
    put('domain', 'inv-domain');
    if (el('inv-from').value) f.from = new Date(el('inv-from').value).toISOString();
    if (el('inv-to').value) f.to = new Date(el('inv-to').value).toISOString();
    return f;
  }

  /** A dry run counts the matches; only then can the same filter be applied. */
  async function invalidate(dryRun) {
    error(null);
    const f = filter();
    if (Object.keys(f).length === 0) {
      error(t('signing.panel.filterNeeded'));
      return;
    }
    const key = JSON.stringify(f);
    if (!dryRun && state.checked !== key) return;
    try {
      const r = await call(`${base}/signatures/invalidate`, token, {
        method: 'POST', body: { ...f, reason: el('inv-reason').value.trim(), dryRun },
      });
      if (dryRun) {
        state.checked = key;
        el('invalidate-result').textContent = t('signing.panel.matched', { n: r.matched });
        el('invalidate-apply').textContent = t('signing.panel.apply', { n: r.matched });
        el('invalidate-apply').hidden = r.matched === 0;
      } else {
        state.checked = null;
        el('invalidate-apply').hidden = true;
        el('invalidate-result').textContent = t('signing.panel.invalidated', { n: r.invalidated });
        invalidations();
      }
    } catch (e) {
      error(t('signing.panel.invalidateFailed', { problem: problem(e) }));
    }
  }

  async function invalidations() {
    let list;
    try {
      list = await call(`${base}/signatures/invalidations`, token);
    } catch (e) {
      return;
    }
    el('invalidations').replaceChildren(...list.map((inv) => {
      const li = document.createElement('li');
      const what = document.createElement('span');
      what.textContent = t('signing.panel.invalidation', { filter: filterText(inv.filter), n: inv.matched });
      li.append(what);
      if (inv.reason) {
        const why = document.createElement('span');
        why.dir = 'auto';
        why.className = 'hint';
        why.textContent = inv.reason;
        li.append(' ', why);
      }
      if (inv.undoneAt) {
        const undone = document.createElement('span');
        undone.className = 'hint';
        undone.textContent = t('signing.panel.undoneMark');
        li.append(' ', undone);
      }
      if (!inv.undoneAt) {
        const undo = document.createElement('button');
        undo.type = 'button';
        undo.textContent = t('signing.panel.undo');
        undo.addEventListener('click', async () => {
          try {
            await call(`${base}/signatures/invalidations/${encodeURIComponent(inv.id)}/undo`, token, { method: 'POST', body: {} });
            announce(t('signing.panel.undone'));
            el('invalidate-result').textContent = '';
            invalidations();
          } catch (e) {
            error(t('signing.panel.undoFailed', { problem: problem(e) }));
          }
        });
        li.append(' ', undo);
      }
      return li;
    }));
  }

  // ---- erase ---------------------------------------------------------------------------

  /** By email (every signature of that address) or by a signature's id from the export (that one). */
  async function erase() {
    error(null);
    const who = el('erase-email').value.trim();
    if (!who) {
      el('erase-email').setAttribute('aria-invalid', 'true');
      el('erase-email').focus();
      return;
    }
    el('erase-email').removeAttribute('aria-invalid');
    // eslint-disable-next-line no-alert
    if (!window.confirm(t('signing.panel.eraseConfirm', { email: isolate(who) }))) return;
    const body = /^[0-9]{1,15}$/.test(who) ? { id: Number(who) } : { email: who };
    try {
      const r = await call(`${base}/signatures/erase`, token, { method: 'POST', body });
      el('erase-email').value = '';
      announce(r.erased ? t('signing.panel.erased') : t('signing.panel.eraseNone'));
    } catch (e) {
      error(t('signing.panel.eraseFailed', { problem: problem(e) }));
    }
  }

  // ---- small pieces --------------------------------------------------------------------

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      announce(t('signing.panel.copied'));
    } catch (e) {
      announce(t('signing.panel.copyByHand'));
    }
  }

  function announce(text) {
    el('signing-status').textContent = text;
  }

  function error(text) {
    el('signing-error').textContent = text || '';
    show('signing-error', Boolean(text));
  }

  return {
    roleKnown(role) {
      toggle.hidden = role !== 'admin';
      if (role !== 'admin' && !el('signing-panel').hidden) toggle.click();
    },
  };
}

/** "2027-05-01" (a UTC day) → "1 May 2027" in the interface's language. */
function day(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(iso) : formatDate(d, { dateStyle: 'medium', timeZone: 'UTC' });
}

/** {ar: 3, en: 12, und: 1} → [[name in the interface's language, count]], most first. */
export function languageRows(byLanguage) {
  let names = null;
  try {
    names = new Intl.DisplayNames([language, 'en'], { type: 'language' });
  } catch (e) {
    names = null;
  }
  const name = (tag) => {
    if (tag === 'und' || !tag) return t('signing.panel.languageUnknown');
    try { return (names && names.of(tag)) || tag; } catch (e) { return tag; }
  };
  return Object.entries(byLanguage || {})
    .filter(([, n]) => Number(n) > 0)
    .map(([tag, n]) => [name(tag), Number(n)])
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], language));
}

/** An invalidation's filter in words: "IP 203.0.113.0/24, domain example.org, from 1 May 2027 18:00". */
function filterText(filter) {
  const parts = [];
  const f = filter || {};
  if (f.ip) parts.push(t('signing.panel.filterIp', { value: isolate(f.ip) }));
  if (f.domain) parts.push(t('signing.panel.filterDomain', { value: isolate(f.domain) }));
  if (f.from) parts.push(t('signing.panel.filterFrom', { value: formatDate(f.from) }));
  if (f.to) parts.push(t('signing.panel.filterTo', { value: formatDate(f.to) }));
  return new Intl.ListFormat(language, { type: 'unit' }).format(parts);
}

/** An ISO time as the value of a datetime-local input (the browser's time zone). */
function localInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

