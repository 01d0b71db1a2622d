// The editor's status in words, and what of it is announced to screen readers.

import assert from 'node:assert/strict';
import test from 'node:test';
import { readCatalogs } from '../lib/catalogs.mjs';
import { missing, useCatalog } from '../src/i18n.js';
import { statusShower } from '../src/toolbar.js';

const catalogs = await readCatalogs();

function page(lang = 'en') {
  useCatalog(lang, catalogs[lang]);
  const box = { dataset: {}, textContent: '' };
  const announce = { textContent: '' };
  const said = [];
  const show = statusShower({ box, announce });
  return {
    box,
    said,
    step(state, everOpened, canEdit = true) {
      const before = announce.textContent;
      show(state, { everOpened, canEdit });
      if (announce.textContent !== before) said.push(announce.textContent);
    },
  };
}

test('the first connection is not announced as coming back', () => {
  const p = page();
  p.step('offline', false);
  assert.equal(p.box.textContent, 'Connecting…');
  p.step('saved', true);
  p.step('sending', true);
  p.step('saved', true);
  assert.equal(p.box.textContent, 'Saved');
  assert.deepEqual(p.said, []);
});

test('going offline and coming back are announced once each', () => {
  const p = page();
  p.step('offline', false);
  p.step('saved', true);
  p.step('offline', true);
  p.step('offline', true); // a failed reconnect
  p.step('sending', true);
  p.step('saved', true);
  assert.deepEqual(p.said, [catalogs.en['editor.status.offline'], 'Back online']);
});

test('a server never reached is said, and a reader is told it is up to date', () => {
  const p = page();
  p.step('offline', false, false);
  p.step('offline', false, false);
  assert.equal(p.box.textContent, catalogs.en['editor.status.unreachable']);
  p.step('saved', true, false);
  assert.equal(p.box.textContent, 'Up to date');
  p.step('offline', true, false);
  assert.equal(p.box.textContent, catalogs.en['editor.status.offlineReader']);
  assert.equal(p.box.dataset.state, 'offline');
});

test('in Arabic, in Arabic', () => {
  const p = page('ar');
  p.step('offline', false);
  p.step('saved', true);
  assert.equal(p.box.textContent, catalogs.ar['editor.status.saved']);
  assert.deepEqual(missing, []);
});
