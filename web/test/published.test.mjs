// The public page's pure helpers: the text's language and the addresses of its PDF editions.

import assert from 'node:assert/strict';
import test from 'node:test';
import { chooseTextLanguage, cleanTag, editionLinks } from '../src/published-editions.js';
import { withoutLanguageQuery } from '../src/i18n.js';

test('the text is shown in the reader’s choice, else the interface’s language if published, else the original', () => {
  assert.equal(chooseTextLanguage('en', ['ar', 'es'], 'ar'), 'ar');
  assert.equal(chooseTextLanguage('en', ['ar', 'es'], 'fr'), 'en', 'no French translation: the original');
  assert.equal(chooseTextLanguage('en', ['fa-IR'], 'fa'), 'fa-IR', 'the same primary language');
  assert.equal(chooseTextLanguage('en', ['ar'], 'ar', 'en'), 'en', 'the reader chose the original');
  assert.equal(chooseTextLanguage('en', ['ar'], 'en', 'AR'), 'ar', 'a choice in any case');
  assert.equal(chooseTextLanguage('en', ['ar'], 'en', 'zh'), 'en', 'a choice not published is ignored');
  assert.equal(chooseTextLanguage('en-GB', ['ar'], 'en'), 'en-GB', 'the original in the interface’s language');
});

test('editions: the original without lang=, a translation with it and side by side with the original', () => {
  const original = editionLinks('a b', 3, 'en', 'en');
  assert.equal(original.reading, '/api/manifestos/a%20b/versions/3/pdf?edition=reading');
  assert.equal(original.a4, '/api/manifestos/a%20b/versions/3/pdf?edition=print&paper=A4');
  assert.equal(original.letter, '/api/manifestos/a%20b/versions/3/pdf?edition=print&paper=Letter');
  assert.equal(original.signers, '/api/manifestos/a%20b/versions/3/pdf?edition=print&with=signatures');
  assert.equal(original.bilingual, null);
  const ar = editionLinks('x', 1, 'ar', 'en');
  assert.equal(ar.reading, '/api/manifestos/x/versions/1/pdf?edition=reading&lang=ar');
  assert.equal(ar.bilingual, '/api/manifestos/x/versions/1/pdf?edition=bilingual&lang=ar&lang2=en');
});

test('only plausible language tags are used', () => {
  assert.equal(cleanTag('fa-IR'), 'fa-IR');
  assert.equal(cleanTag('zh-Hant'), 'zh-Hant');
  assert.equal(cleanTag('x'), null);
  assert.equal(cleanTag('en&lang2=ar'), null);
  assert.equal(cleanTag(undefined), null);
});

test('the interface’s ?lang= leaves the address once served, the rest of it stays', () => {
  assert.equal(withoutLanguageQuery('http://x/p/a?lang=ar&text=es#k'), 'http://x/p/a?text=es#k');
  assert.equal(withoutLanguageQuery('http://x/p/a?text=es'), null);
});
