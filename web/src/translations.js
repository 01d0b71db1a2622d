// The languages page, /m/{id}/translations#token=<admin token>: the manifesto's translation
// languages with their progress, a link to each translator's view, adding and removing a
// language, minting translator links and publishing a translation with a saved version. It uses
// the translations REST API only (docs/translations.md); the server checks the admin's role on
// every change, this page only says what it answered.

import { readToken } from './dom.js';
import { t, lang as uiLang, directionOf, formatDate, formatPercent, mountLanguageSwitches } from './i18n.js';
import { checkTag, choices, optionLabel } from './translation-languages.js';

const OTHER = '*other';
const match = /^\/m\/([^/]+)\/translations\/?$/.exec(location.pathname);
const id = match ? decodeURIComponent(match[1]) : null;
const token = readToken();
const base = id ? `/api/manifestos/${encodeURIComponent(id)}` : '';
const $ = (name) => document.getElementById(name);

let manifesto = null; // {title, language}
let languages = []; // the API's progress list
let versions = []; // saved versions, newest first

window.convene = { reload: () => load() };

mountLanguageSwitches();
if (!id || !token) {
  problem(t('translate.admin.missingLink'));
  $('loading').hidden = true;
  showTools(false);
} else {
  $('editor-link').href = `/m/${encodeURIComponent(id)}/admin#token=${encodeURIComponent(token)}`;
  $('add-form').addEventListener('submit', add);
  $('add-choice').addEventListener('change', () => {
    $('other-field').hidden = $('add-choice').value !== OTHER;
  });
  load();
}

/** A request with the admin token: the JSON answer, or an Error carrying the status and the body. */
async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let r;
  try {
    r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw Object.assign(new Error('offline'), { status: 0, body: {} });
  }
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(answer.error || String(r.status)), { status: r.status, body: answer });
  return answer;
}

/** What an error means to the admin, in the interface's language (never the server's words). */
function explain(e) {
  if (e.status === 0) return t('common.offline');
  if (e.status === 401) return t('translate.admin.missingLink');
  if (e.status === 403) return t('translate.admin.notAdmin');
  if (e.status === 404) return t('translate.error.noLanguage');
  return t('common.serverError');
}

async function load() {
  try {
    [manifesto, languages, versions] = await Promise.all([
      call('GET', ''),
      call('GET', '/translations'),
      call('GET', '/versions').then((all) => all.slice().reverse()),
    ]);
  } catch (e) {
    $('loading').hidden = true;
    problem(explain(e));
    showTools(false);
    return;
  }
  $('loading').hidden = true;
  $('problem').hidden = true;
  showTools(true);
  showManifesto();
  showLanguages();
  fillChoices();
}

/**
 * The languages, the add form and the editor's button only once the manifesto has loaded with the
 * admin link: without it they would offer what cannot work (an empty list of languages to add,
 * a button back to the start page).
 */
function showTools(visible) {
  $('editor-link').parentElement.hidden = !visible;
  $('languages-heading').parentElement.hidden = !visible;
  $('add-heading').parentElement.hidden = !visible;
}

function showManifesto() {
  $('manifesto').hidden = false;
  $('manifesto-title').textContent = manifesto.title;
  $('manifesto-title').lang = manifesto.language;
  $('source-language').textContent = t('translate.admin.sourceLanguage', { language: nameIn(manifesto.language) });
}

/** A language's name in the interface's language (the cards show each also in itself). */
function nameIn(tag) {
  try {
    return new Intl.DisplayNames([uiLang()], { type: 'language' }).of(tag) || tag;
  } catch (e) {
    return tag;
  }
}

function showLanguages() {
  const list = $('languages');
  list.replaceChildren(...languages.map(card));
  $('none').hidden = languages.length > 0;
}

function card(l) {
  const li = document.createElement('li');
  li.className = 'language-card';
  li.dataset.language = l.language;
  const h = document.createElement('h3');
  h.id = `language-${l.language}`;
  h.tabIndex = -1;
  const own = document.createElement('span');
  own.lang = l.language;
  own.dir = l.dir || directionOf(l.language);
  own.textContent = l.name;
  h.append(own);
  const local = nameIn(l.language);
  if (local.toLowerCase() !== l.name.toLowerCase()) {
    const sub = document.createElement('span');
    sub.className = 'local-name';
    sub.textContent = ` (${local})`;
    h.append(sub);
  }
  li.setAttribute('aria-labelledby', h.id);
  li.append(h, progress(l), actions(l), publishForm(l));
  return li;
}

function progress(l) {
  const dl = document.createElement('dl');
  dl.className = 'progress';
  const rows = [
    [t('translate.admin.translated'), l.translated],
    [t('translate.admin.upToDate'), l.upToDate],
    [t('translate.admin.reviewed'), l.reviewed],
  ];
  for (const [label, count] of rows) {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = t('translate.admin.share', {
      percent: formatPercent(l.units ? count / l.units : 0), count, units: l.units,
    });
    div.append(dt, dd);
    dl.append(div);
  }
  return dl;
}

function actions(l) {
  const p = document.createElement('div');
  p.className = 'actions';
  const open = document.createElement('a');
  open.className = 'button';
  open.href = `/m/${encodeURIComponent(id)}/translate/${encodeURIComponent(l.language)}#token=${encodeURIComponent(token)}`;
  open.textContent = t('translate.admin.open');
  const link = button(t('translate.admin.link'), () => createLink(l, out));
  const remove = button(t('translate.admin.remove'), () => removeLanguage(l));
  const out = document.createElement('div');
  out.className = 'link-out';
  out.hidden = true;
  p.append(open, link, remove, out);
  return p;
}

function button(label, action, type = 'button') {
  const b = document.createElement('button');
  b.type = type;
  b.textContent = label;
  if (action) b.addEventListener('click', action);
  return b;
}

async function createLink(l, out) {
  let answer;
  try {
    answer = await call('POST', `/translations/${encodeURIComponent(l.language)}/links`, {});
  } catch (e) {
    problem(explain(e));
    return;
  }
  const url = location.origin + answer.path;
  const field = `link-${l.language}`;
  out.replaceChildren();
  const label = document.createElement('label');
  label.htmlFor = field;
  label.textContent = t('translate.admin.linkLabel', { language: l.name });
  const input = document.createElement('input');
  input.id = field;
  input.readOnly = true;
  input.dir = 'ltr';
  input.value = url;
  input.setAttribute('aria-describedby', `${field}-hint`);
  const hint = document.createElement('p');
  hint.id = `${field}-hint`;
  hint.className = 'hint';
  hint.textContent = t('translate.admin.linkHint');
  const copy = button(t('translate.admin.copy'), async () => {
    try {
      await navigator.clipboard.writeText(url);
      notice(t('translate.admin.copied'));
    } catch (e) {
      input.select();
    }
  });
  out.append(label, input, hint, copy);
  out.hidden = false;
  input.focus();
  input.select();
}

async function removeLanguage(l) {
  if (!confirm(t('translate.admin.removeConfirm', { language: l.name }))) return;
  try {
    await call('DELETE', `/translations/${encodeURIComponent(l.language)}`);
  } catch (e) {
    problem(explain(e));
    return;
  }
  notice(t('translate.admin.removed', { language: l.name }));
  await load();
  $('add-heading').focus();
}

function publishForm(l) {
  const form = document.createElement('form');
  form.className = 'publish';
  const field = `version-${l.language}`;
  if (!versions.length) {
    const none = document.createElement('p');
    none.className = 'hint';
    none.textContent = t('translate.admin.noVersions');
    form.append(none);
    return form;
  }
  const label = document.createElement('label');
  label.htmlFor = field;
  label.textContent = t('translate.admin.version');
  const select = document.createElement('select');
  select.id = field;
  for (const v of versions) {
    const option = document.createElement('option');
    option.value = String(v.number);
    option.textContent = t('translate.admin.versionOption', { n: v.number, name: `\u2068${v.name}\u2069`, date: formatDate(v.createdAt) });
    select.append(option);
  }
  const result = document.createElement('div');
  result.className = 'publish-result';
  form.append(label, select, button(t('translate.admin.publish'), null, 'submit'), result);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    publish(l, Number(select.value), result);
  });
  return form;
}

async function publish(l, version, result) {
  result.replaceChildren();
  try {
    await call('POST', `/translations/${encodeURIComponent(l.language)}/publish`, { version });
  } catch (e) {
    if (e.status === 409 && e.body.fields && Array.isArray(e.body.fields.units)) {
      incomplete(e.body.fields.units, result);
    } else {
      problem(explain(e));
    }
    return;
  }
  notice(t('translate.admin.published', { language: l.name, n: version }));
}

/** The units that keep a version from being published, in the source's language. */
function incomplete(units, result) {
  const p = document.createElement('p');
  p.className = 'error';
  p.id = `${result.closest('li').dataset.language}-incomplete`;
  p.textContent = t('translate.admin.incomplete', { count: units.length });
  const list = document.createElement('ul');
  list.className = 'incomplete';
  for (const u of units) {
    const li = document.createElement('li');
    const state = document.createElement('span');
    state.className = 'unit-state';
    state.textContent = u.state === 'outdated' ? t('translate.admin.unitOutdated') : t('translate.admin.unitMissing');
    const text = document.createElement('span');
    text.lang = manifesto.language;
    text.dir = directionOf(manifesto.language);
    text.textContent = u.source;
    li.append(state, ' ', text);
    list.append(li);
  }
  result.append(p, list);
  p.tabIndex = -1;
  p.focus();
}

function fillChoices() {
  const select = $('add-choice');
  const taken = [manifesto.language, ...languages.map((l) => l.language)];
  select.replaceChildren();
  for (const c of choices(uiLang(), taken)) {
    const option = document.createElement('option');
    option.value = c.tag;
    option.textContent = optionLabel(c);
    select.append(option);
  }
  const other = document.createElement('option');
  other.value = OTHER;
  other.textContent = t('translate.admin.other');
  select.append(other);
  $('other-field').hidden = select.value !== OTHER;
}

async function add(event) {
  event.preventDefault();
  const choice = $('add-choice').value;
  const input = $('add-tag');
  const error = $('add-tag-error');
  let tag = choice;
  if (choice === OTHER) {
    tag = checkTag(input.value);
    if (!tag) {
      fieldError(t('translate.admin.tagInvalid'));
      return;
    }
  }
  fieldError(null);
  let answer;
  try {
    answer = await call('POST', '/translations', { language: tag });
  } catch (e) {
    if (e.status === 409) problem(t('translate.admin.exists', { language: nameIn(tag) }));
    else if (e.status === 400 && choice === OTHER) fieldError(t('translate.admin.tagInvalid'));
    else if (e.status === 400) problem(t('translate.admin.tagInvalid'));
    else problem(explain(e));
    return;
  }
  input.value = '';
  notice(t('translate.admin.added', { language: answer.name || nameIn(tag) }));
  await load();
  const heading = document.getElementById(`language-${answer.language}`);
  if (heading) heading.focus();

  function fieldError(text) {
    error.textContent = text || '';
    error.hidden = !text;
    input.setAttribute('aria-invalid', text ? 'true' : 'false');
    input.setAttribute('aria-describedby', text ? 'add-tag-hint add-tag-error' : 'add-tag-hint');
    if (text) input.focus();
  }
}

function notice(text) {
  $('problem').hidden = true;
  $('notice').textContent = text;
}

function problem(text) {
  $('notice').textContent = '';
  $('problem').textContent = text;
  $('problem').hidden = false;
}
