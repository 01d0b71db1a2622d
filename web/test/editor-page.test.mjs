// The editor page's own parts (not the Versions and Signing panels, which have their owners' tests):
// every text is a message, and every language has them.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import test from 'node:test';
import { parseHTML } from 'linkedom';
import { readCatalogs } from '../lib/catalogs.mjs';

const html = await readFile(new URL('../src/editor.html', import.meta.url), 'utf8');
const { document } = parseHTML(html);

test('every text of the editor page is a message', () => {
  const untranslated = [];
  for (const node of document.querySelectorAll('body *')) {
    if (node.closest('#versions-panel, #signing-panel, script, style')) continue;
    const own = [...node.childNodes].filter((c) => c.nodeType === 3).map((c) => c.textContent.trim()).join('');
    if (own && !node.hasAttribute('data-i18n')) untranslated.push(`<${node.localName} id=${node.id}>: ${own}`);
    if (node.hasAttribute('aria-label') && !/aria-label:/.test(node.getAttribute('data-i18n-attr') || '')) {
      untranslated.push(`<${node.localName} id=${node.id}> aria-label`);
    }
  }
  assert.deepEqual(untranslated, []);
});

test('the page names the areas its panels need, and has its language switch', () => {
  assert.equal(document.documentElement.getAttribute('data-i18n-areas'), 'editor versions signing');
  assert.ok(document.querySelector('.toolbar [data-language-switch]'));
});

test('the editor’s messages are in every language', async () => {
  const catalogs = await readCatalogs();
  const keys = Object.keys(catalogs.en).filter((k) => k.startsWith('editor.'));
  assert.ok(keys.length > 40);
  for (const [tag, catalog] of Object.entries(catalogs)) {
    if (tag === 'en') continue;
    const same = keys.filter((k) => catalog[k] === catalogs.en[k] && !/^\{title\} · Convene$/.test(catalog[k]) && k !== 'editor.toolbar.versions');
    assert.deepEqual(same, [], `ui_${tag}: left in English`);
  }
});
