import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANDIDATES, checkTag, choices, nameOf, optionLabel } from '../src/translation-languages.js';

test('a typed tag is checked and put in canonical form', () => {
  assert.equal(checkTag('pt-br'), 'pt-BR');
  assert.equal(checkTag(' zh-hant '), 'zh-Hant');
  assert.equal(checkTag('es-419'), 'es-419');
  assert.equal(checkTag('tl'), 'fil'); // an alias becomes the tag browsers and ICU name
  for (const bad of ['en_US', 'es-', 'xx', '', '123', 'a', null, 'ar<script>']) assert.equal(checkTag(bad), null, String(bad));
});

test('each candidate has a name in itself', () => {
  for (const tag of CANDIDATES) assert.ok(nameOf(tag, tag), tag);
  assert.equal(nameOf('ar', 'ar'), 'العربية');
  assert.equal(nameOf('es', 'es'), 'español');
});

test('the choices leave out the languages taken, and sort by the interface language’s names', () => {
  const list = choices('en', ['EN', 'ar']);
  assert.ok(!list.some((c) => c.tag === 'en' || c.tag === 'ar'));
  assert.equal(list.length, CANDIDATES.length - 2);
  const local = list.map((c) => c.local);
  assert.deepEqual(local, [...local].sort(new Intl.Collator('en').compare));
  const fa = choices('fr').find((c) => c.tag === 'fa');
  assert.equal(optionLabel(fa), `${nameOf('fa', 'fa')} — ${nameOf('fa', 'fr')}`);
  assert.equal(optionLabel({ own: 'English', local: 'English' }), 'English');
});
