// The interface's catalogs: complete in every language, valid ICU MessageFormat with the same
// arguments as English, and holding every key the pages and scripts use.

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import test from 'node:test';
import { TYPE, parse } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { REFERENCE, readCatalogs } from '../lib/catalogs.mjs';
import { directionOf, t, useCatalog, missing } from '../src/i18n.js';

const catalogs = await readCatalogs();
const reference = catalogs[REFERENCE];

/** The names of a pattern's arguments, with their kinds (plural, select, number...). */
function argumentsOf(pattern) {
  const found = new Set();
  const walk = (nodes) => {
    for (const n of nodes) {
      if (n.type !== TYPE.literal && n.type !== TYPE.pound && n.type !== TYPE.tag) found.add(`${n.value}:${n.type}`);
      if (n.type === TYPE.tag) walk(n.children);
      if (n.options) for (const option of Object.values(n.options)) walk(option.value);
    }
  };
  walk(parse(pattern, { ignoreTag: true }));
  return [...found].sort();
}

test('the six languages the issue asks for are there', () => {
  for (const tag of ['en', 'es', 'fr', 'ar', 'fa', 'zh']) assert.ok(catalogs[tag], `ui_${tag}.properties`);
});

for (const [tag, catalog] of Object.entries(catalogs)) {
  test(`ui_${tag}: the same keys as English, each valid with the same arguments`, () => {
    const extra = Object.keys(catalog).filter((k) => !(k in reference));
    const absent = Object.keys(reference).filter((k) => !(k in catalog));
    assert.deepEqual(absent, [], `keys missing from ui_${tag}.properties`);
    assert.deepEqual(extra, [], `keys in ui_${tag}.properties that English does not have`);
    for (const [key, pattern] of Object.entries(catalog)) {
      assert.ok(pattern.trim().length > 0, `${tag} ${key} is empty`);
      assert.doesNotThrow(() => new IntlMessageFormat(pattern, tag), `${tag} ${key} is not ICU MessageFormat`);
      assert.deepEqual(argumentsOf(pattern), argumentsOf(reference[key]), `${tag} ${key}: arguments differ from English`);
    }
  });
}

test('every key the pages and scripts name is in the catalog', async () => {
  const src = new URL('../src/', import.meta.url);
  const named = [];
  for (const file of await readdir(src)) {
    if (!/\.(html|js)$/.test(file)) continue;
    const text = await readFile(new URL(file, src), 'utf8');
    if (file.endsWith('.html')) {
      for (const m of text.matchAll(/data-i18n="([^"]+)"/g)) named.push([file, m[1]]);
      for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) {
        for (const pair of m[1].split(';')) named.push([file, pair.split(':')[1]?.trim()]);
      }
    } else if (file.endsWith('.js')) {
      for (const m of text.matchAll(/\bt\(\s*'([A-Za-z0-9_.-]+)'/g)) named.push([file, m[1]]);
    }
  }
  assert.ok(named.length > 0);
  const unknown = named.filter(([, key]) => !(key in reference)).map(([file, key]) => `${file}: ${key}`);
  assert.deepEqual(unknown, []);
});

test('t formats plurals by the language’s rules and records what it lacks', () => {
  useCatalog('ar', { 'x.count': '{n, plural, zero {لا أحد} one {واحد} two {اثنان} few {# أشخاص} many {# شخصًا} other {# شخص}}' });
  assert.equal(t('x.count', { n: 2 }), 'اثنان');
  assert.equal(t('x.count', { n: 11 }), '11 شخصًا');
  assert.equal(t('x.nothing'), 'x.nothing');
  assert.deepEqual(missing, ['x.nothing']);
});

test('directions: the language, or the script when the tag names one', () => {
  assert.equal(directionOf('ar'), 'rtl');
  assert.equal(directionOf('fa-IR'), 'rtl');
  assert.equal(directionOf('ku-Arab'), 'rtl');
  assert.equal(directionOf('pa-Arab'), 'rtl');
  assert.equal(directionOf('az-Latn'), 'ltr');
  assert.equal(directionOf('zh'), 'ltr');
  assert.equal(directionOf(''), 'ltr');
});
