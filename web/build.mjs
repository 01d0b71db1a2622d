// Builds web/dist: the pages, in every interface language, and their bundles under dist/assets/.
// Fixed file names (the server routes /assets/* to dist/assets/*); nothing is
// loaded from elsewhere, and the pages contain no inline script (strict CSP).

import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { IntlMessageFormat } from 'intl-messageformat';
import { parseHTML } from 'linkedom';
import { COMMON_AREAS, REFERENCE, areaOf, readCatalogs } from './lib/catalogs.mjs';
import { directionOf } from './src/i18n.js';
import { countryOptions } from './src/sign.js';

const dist = new URL('./dist/', import.meta.url);
await rm(dist, { recursive: true, force: true });
await mkdir(new URL('assets/', dist), { recursive: true });

await esbuild.build({
  absWorkingDir: new URL('.', import.meta.url).pathname,
  entryPoints: {
    create: 'src/create.js',
    editor: 'src/editor.js',
    published: 'src/published.js',
    kiosk: 'src/kiosk.js',
    translate: 'src/translate.js',
    translations: 'src/translations.js',
    app: 'src/app.css',
  },
  outdir: 'dist/assets',
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'iife',
  platform: 'browser',
  // Phones that are a few years old.
  target: ['chrome87', 'firefox78', 'safari14.1', 'edge88'],
  // sockjs-client was written for Browserify: it expects `global` and
  // process.env.NODE_ENV, and leaves its debug logging out in production.
  define: {
    global: 'globalThis',
    'process.env.NODE_ENV': '"production"',
  },
  legalComments: 'linked',
  logLevel: 'info',
});

// Each page is rendered in each interface language: dist/<tag>/<page>, with <html lang dir>, its
// [data-i18n] texts and [data-i18n-attr] attributes filled from the catalog, the language switch,
// and the messages its scripts format (docs/i18n.md). The server serves the one a reader asked for.
const catalogs = await readCatalogs();
const languages = Object.fromEntries(Object.entries(catalogs).map(([tag, c]) => [tag, c['language.name'] || tag]));
const pages = ['index.html', 'editor.html', 'translate.html', 'translations.html', 'published.html', 'kiosk.html', '404.html'];
// The sign forms work without JavaScript too, so their country options are in the page.
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
for (const [tag, messages] of Object.entries(catalogs)) {
  await mkdir(new URL(`${tag}/`, dist), { recursive: true });
  const format = (key, where) => {
    const pattern = messages[key] ?? catalogs[REFERENCE][key];
    if (pattern === undefined) throw new Error(`${where}: no message ${key} in ui_${REFERENCE}.properties`);
    return String(new IntlMessageFormat(pattern, tag).format());
  };
  for (const page of pages) {
    let html = await readFile(new URL(`./src/${page}`, import.meta.url), 'utf8');
    if (html.includes('<!-- countries -->')) {
      const options = countryOptions(tag).map(([code, name]) => `<option value="${code}">${escape(name)}</option>`);
      html = html.replace('<!-- countries -->', options.join('\n            '));
    }
    const { document } = parseHTML(html);
    const root = document.documentElement;
    root.setAttribute('lang', tag);
    root.setAttribute('dir', directionOf(tag));
    const areas = new Set([...COMMON_AREAS, ...(root.getAttribute('data-i18n-areas') || '').split(/\s+/).filter(Boolean)]);
    root.removeAttribute('data-i18n-areas');
    for (const slot of document.querySelectorAll('[data-page-header]')) {
      slot.replaceWith(...pageHeader(document, slot.getAttribute('data-page-header') !== 'kiosk'));
    }
    for (const node of document.querySelectorAll('[data-i18n]')) {
      node.textContent = format(node.getAttribute('data-i18n'), `${page} [data-i18n]`);
    }
    for (const node of document.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of node.getAttribute('data-i18n-attr').split(';')) {
        const [name, key] = pair.split(':').map((s) => s.trim());
        if (name && key) node.setAttribute(name, format(key, `${page} [data-i18n-attr]`));
      }
    }
    for (const slot of document.querySelectorAll('[data-language-switch]')) {
      slot.replaceWith(languageSwitch(document, tag, format));
    }
    const used = Object.fromEntries(Object.entries(messages).filter(([key]) => areas.has(areaOf(key))));
    const data = document.createElement('script');
    data.setAttribute('type', 'application/json');
    data.setAttribute('id', 'messages');
    // Not executed (so the strict CSP allows it); "<" escaped so that no text can close the element.
    data.textContent = JSON.stringify({ messages: used, languages }).replace(/</g, '\\u003c');
    document.head.appendChild(data);
    await writeFile(new URL(`${tag}/${page}`, dist), '<!doctype html>\n' + root.outerHTML + '\n');
  }
}
await copyFile(new URL('./src/favicon.svg', import.meta.url), new URL('assets/favicon.svg', dist));

/**
 * The pages' common top: a skip link to #main, then a header with the name (a link home, except on
 * the kiosk, which a passer-by must not leave) and the language switch, filled in below.
 */
function pageHeader(document, linkHome) {
  const skip = document.createElement('a');
  skip.setAttribute('class', 'skip-link');
  skip.setAttribute('href', '#main');
  skip.setAttribute('data-i18n', 'common.skip');
  const header = document.createElement('header');
  header.setAttribute('class', 'page-header');
  const brand = document.createElement(linkHome ? 'a' : 'span');
  brand.setAttribute('class', 'brand');
  if (linkHome) brand.setAttribute('href', '/');
  brand.setAttribute('data-i18n', 'app.name');
  const slot = document.createElement('div');
  slot.setAttribute('data-language-switch', '');
  header.append(brand, slot);
  return [skip, header];
}

/**
 * A GET form with a <select name="lang">: without JavaScript, "Change" reloads the page with ?lang=
 * (the server remembers the choice); i18n.js hides the button and applies a choice at once.
 */
function languageSwitch(document, tag, format) {
  const form = document.createElement('form');
  form.setAttribute('class', 'language-switch');
  form.setAttribute('method', 'get');
  const label = document.createElement('label');
  label.setAttribute('for', 'language-switch');
  label.textContent = format('language.switch', 'language switch');
  const select = document.createElement('select');
  select.setAttribute('id', 'language-switch');
  select.setAttribute('name', 'lang');
  for (const [code, name] of Object.entries(languages)) {
    const option = document.createElement('option');
    option.setAttribute('value', code);
    option.setAttribute('lang', code);
    option.setAttribute('dir', directionOf(code));
    if (code === tag) option.setAttribute('selected', '');
    option.textContent = name;
    select.appendChild(option);
  }
  const button = document.createElement('button');
  button.setAttribute('type', 'submit');
  button.textContent = format('language.apply', 'language switch');
  form.append(label, select, button);
  return form;
}
