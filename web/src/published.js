// The public page /p/{id}: the version an organiser published last (not the
// live draft), with its number, date and SHA-256, readable without any token.

import { el, show } from './dom.js';
import { authorLabel, call, when } from './versions.js';

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'sd', 'ug', 'yi', 'dv', 'syr', 'prs']);
const match = /^\/p\/([^/]+)\/?$/.exec(location.pathname);

if (match) load(decodeURIComponent(match[1]));
else fail('This address does not name a manifesto.');

async function load(id) {
  let v;
  try {
    v = await call(`/api/manifestos/${encodeURIComponent(id)}/published`);
  } catch (e) {
    fail(e.status === 404 ? 'Nothing has been published here yet.' : `The manifesto could not be loaded: ${e.message}`);
    return;
  }
  document.title = `${v.title} · Convene`;
  el('title').textContent = v.title;
  const published = v.publishedAt ? `, published ${when(v.publishedAt)}` : '';
  el('meta').textContent = `Version ${v.number} (“${v.name}”), saved ${when(v.createdAt)}${published}`;
  const text = el('text');
  text.textContent = v.text;
  if (typeof v.language === 'string' && /^[A-Za-z0-9-]{1,35}$/.test(v.language)) {
    text.lang = v.language;
    el('title').lang = v.language;
    if (RTL_LANGUAGES.has(v.language.split('-')[0].toLowerCase())) document.documentElement.dir = 'rtl';
  }
  el('sha256').textContent = v.sha256;
  el('credits').replaceChildren(...v.contributors.map((c) => {
    const li = document.createElement('li');
    li.append(authorLabel(c.initial ? '' : c.name, ` (${Math.round(c.share * 100)}%)`));
    return li;
  }));
  show('manifesto', true);
}

function fail(text) {
  el('message').textContent = text;
  show('message', true);
}
