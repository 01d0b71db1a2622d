// The Signing panel of the editor page, for admins: the settings (email
// required, goal, deadline, open, per-IP limits, the kiosk and its link), the
// live count with the counts by country and by day as bars with their numbers,
// exports (fetched with the token in a header, saved from a blob), the abuse
// report, invalidation by filter with a dry run first (and its undo), and
// erasing a signer's personal data. Server text goes in through textContent.
// (Long, as the Versions panel is: one panel, five small tools sharing its state and messages.)

import { el, show } from './dom.js';
import { call, dispositionName } from './versions.js';
import { followCount } from './sign-live.js';
import { bars, countryRows, formatCount, progress } from './sign.js';

const language = document.documentElement.lang || 'en';

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

  toggle.addEventListener('click', () => {
    const open = el('signing-panel').hidden;
    show('signing-panel', open);
    toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      load();
      state.live = followCount({ doc, onCount: showCount });
    } else if (state.live) {
      state.live.stop();
      state.live = null;
    }
  });
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
      error(`The settings could not be loaded: ${e.message}`);
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
    try {
      state.settings = await call(`${base}/signing`, token, { method: 'PUT', body });
      fill(state.settings);
      announce('Settings saved.');
    } catch (e) {
      error(e.fields ? Object.entries(e.fields).map(([f, m]) => `${f}: ${m}`).join(' ') : e.message);
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
      show('chart-day-missing', false);
    } catch (e) {
      show('chart-day-missing', true);
      el('chart-day-missing').textContent = e.status === 404 ? 'Counts by day are not available from this server yet.' : e.message;
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
      number.textContent = formatCount(value, language);
      li.append(name, track, number);
      return li;
    }));
    const empty = document.createElement('li');
    empty.className = 'hint';
    empty.textContent = 'No confirmed signatures yet.';
    if (rows.length === 0) list.append(empty);
  }

  // ---- exports -------------------------------------------------------------------------

  async function download(file, fallback) {
    error(null);
    try {
      const res = await fetch(`${base}/signatures/${file}`, { headers: { Authorization: `Bearer ${token}` }, credentials: 'same-origin' });
      if (!res.ok) {
        const reply = await res.json().catch(() => null);
        throw new Error(reply && reply.message ? reply.message : `HTTP ${res.status}`);
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
      error(`The export failed: ${e.message}`);
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
      error(`The report could not be loaded: ${e.message}`);
    }
  }

  function table(id, rows) {
    el(id).replaceChildren(...rows.map(([key, n]) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.className = 'hash';
      th.textContent = key;
      const td = document.createElement('td');
      td.textContent = formatCount(n, language);
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
      error('Give at least one filter: an IP or prefix, an email domain, or a time range.');
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
        el('invalidate-result').textContent = `${formatCount(r.matched, language)} signatures match. Nothing is changed yet.`;
        el('invalidate-apply').textContent = `Invalidate these ${formatCount(r.matched, language)} signatures`;
        el('invalidate-apply').hidden = r.matched === 0;
      } else {
        state.checked = null;
        el('invalidate-apply').hidden = true;
        el('invalidate-result').textContent = `${formatCount(r.invalidated, language)} signatures invalidated. You can undo it below.`;
        invalidations();
      }
    } catch (e) {
      error(e.fields ? Object.entries(e.fields).map(([k, m]) => `${k}: ${m}`).join(' ') : e.message);
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
      what.textContent = `${Object.entries(inv.filter || {}).map(([k, v]) => `${k} ${v}`).join(', ')}: ${inv.matched} signatures`
        + `${inv.reason ? ` (${inv.reason})` : ''}${inv.undoneAt ? ' — undone' : ''}`;
      li.append(what);
      if (!inv.undoneAt) {
        const undo = document.createElement('button');
        undo.type = 'button';
        undo.textContent = 'Undo';
        undo.addEventListener('click', async () => {
          try {
            await call(`${base}/signatures/invalidations/${encodeURIComponent(inv.id)}/undo`, token, { method: 'POST', body: {} });
            announce('Invalidation undone: those signatures count again.');
            el('invalidate-result').textContent = '';
            invalidations();
          } catch (e) {
            error(e.message);
          }
        });
        li.append(' ', undo);
      }
      return li;
    }));
  }

  // ---- erase ---------------------------------------------------------------------------

  async function erase() {
    error(null);
    const email = el('erase-email').value.trim();
    if (!email) {
      el('erase-email').setAttribute('aria-invalid', 'true');
      el('erase-email').focus();
      return;
    }
    el('erase-email').removeAttribute('aria-invalid');
    // eslint-disable-next-line no-alert
    if (!window.confirm(`Erase for good the name, email, city, comment and IP of the signer ${email}? The count keeps an anonymous mark.`)) return;
    try {
      const r = await call(`${base}/signatures/erase`, token, { method: 'POST', body: { email } });
      el('erase-email').value = '';
      announce(r.erased ? 'Erased. Only an anonymous mark stays in the count.' : 'No signature with that email.');
    } catch (e) {
      error(e.message);
    }
  }

  // ---- small pieces --------------------------------------------------------------------

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      announce('Kiosk link copied.');
    } catch (e) {
      announce('Select the link and copy it.');
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

/** "2027-05-01" (a UTC day) → "1 May 2027" in the page's language. */
function day(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleDateString(language, { dateStyle: 'medium', timeZone: 'UTC' });
}

/** An ISO time as the value of a datetime-local input (the browser's time zone). */
function localInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

