// Every page, whatever its owner: each text and each worded attribute is a message from the catalogs
// (data-i18n, data-i18n-attr), so that no English is left on a page served in another language.
// Text in its own language (an element with lang, such as a language's own name) is not ours to translate.

import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import test from 'node:test';
import { parseHTML } from 'linkedom';

const src = new URL('../src/', import.meta.url);
const pages = (await readdir(src)).filter((f) => f.endsWith('.html'));
const WORDED = ['aria-label', 'title', 'placeholder', 'alt'];

for (const page of pages) {
  test(`${page}: every text and worded attribute is a message`, async () => {
    const { document } = parseHTML(await readFile(new URL(page, src), 'utf8'));
    const untranslated = [];
    for (const node of [document.querySelector('title'), ...document.querySelectorAll('body *')]) {
      if (!node || node.closest('script, style, [lang]')) continue;
      const own = [...node.childNodes].filter((c) => c.nodeType === 3).map((c) => c.textContent.trim()).join('');
      if (/\p{L}/u.test(own) && !node.hasAttribute('data-i18n')) {
        untranslated.push(`<${node.localName}${node.id ? ` id=${node.id}` : ''}>: ${own.slice(0, 60)}`);
      }
      const attrs = node.getAttribute('data-i18n-attr') || '';
      for (const name of WORDED) {
        if (/\p{L}/u.test(node.getAttribute(name) || '') && !attrs.includes(`${name}:`)) {
          untranslated.push(`<${node.localName}${node.id ? ` id=${node.id}` : ''}> ${name}`);
        }
      }
    }
    assert.deepEqual(untranslated, []);
  });
}

test('every page, as built, has a language switch and a skip link to an element that exists', async () => {
  for (const page of pages) {
    const built = await readFile(new URL(`../dist/en/${page}`, import.meta.url), 'utf8')
      .catch(() => assert.fail(`web/dist/en/${page} is missing: run npm run build first`));
    const { document } = parseHTML(built);
    assert.ok(document.querySelector('form.language-switch select[name="lang"]'), `${page}: no language switch`);
    const skip = document.querySelector('a.skip-link');
    assert.ok(skip && skip.textContent.trim(), `${page}: no skip link`);
    assert.ok(document.getElementById(skip.getAttribute('href').slice(1)), `${page}: the skip link leads nowhere`);
  }
});
