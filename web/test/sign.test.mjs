import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCatalogs } from '../lib/catalogs.mjs';
import { formatNumber, useCatalog } from '../src/i18n.js';
import {
  answerText, asciiEmail, bars, checkSignature, COUNTRIES, countryOptions, countryRows, deadlineText, fieldMessage,
  initials, progress, refusalText, retryText,
} from '../src/sign.js';

const catalogs = await readCatalogs();
/** The helpers speak the interface's language: English unless a test says otherwise. */
const inEnglish = () => useCatalog('en', catalogs.en);
inEnglish();

const good = { name: 'Amal Haddad', email: 'amal@example.org', country: 'fr', display: 'initials', updates: true, language: 'ar' };

test('the country list is ISO 3166-1 alpha-2: 249 distinct codes, each with a real name', () => {
  assert.equal(COUNTRIES.length, 249);
  assert.equal(new Set(COUNTRIES).size, 249);
  for (const c of COUNTRIES) assert.match(c, /^[A-Z]{2}$/);
  const en = new Map(countryOptions('en'));
  for (const c of COUNTRIES) assert.notEqual(en.get(c), c, `${c} has an English name`);
  assert.equal(en.get('SY'), 'Syria');
  assert.ok(!COUNTRIES.includes('XK') && !COUNTRIES.includes('UK'), 'no user-assigned or made-up codes');
});

test('countries are named and sorted in the page language', () => {
  const ar = countryOptions('ar');
  assert.equal(new Map(ar).get('EG'), 'مصر');
  const names = ar.map(([, n]) => n);
  const sorted = [...names].sort(new Intl.Collator('ar').compare);
  assert.deepEqual(names, sorted);
  const fr = countryOptions('fr');
  assert.equal(new Map(fr).get('DE'), 'Allemagne');
  assert.ok(fr.findIndex(([c]) => c === 'EG') < fr.findIndex(([c]) => c === 'ES'), 'Égypte before Espagne: accents sort as letters');
});

test('a good signature passes and its body is trimmed, upper-cased and without empty optionals', () => {
  const { fields, body } = checkSignature({ ...good, name: '  Amal Haddad ', city: '  ', comment: '' });
  assert.deepEqual(fields, {});
  assert.deepEqual(body, { name: 'Amal Haddad', email: 'amal@example.org', country: 'FR', display: 'initials', language: 'ar', updates: true });
});

test('each bad field is named with a reason', () => {
  const { fields } = checkSignature({ name: '', email: 'nope', country: 'ZZ', display: 'everything', city: 'x'.repeat(101), comment: 'y'.repeat(501) });
  assert.deepEqual(Object.keys(fields).sort(), ['city', 'comment', 'country', 'display', 'email', 'name']);
  assert.match(fields.comment, /at most 500 characters/);
  assert.match(fields.country, /from the list/);
});

test('lengths count code points as the server does, so emoji and Arabic are not cut short', () => {
  assert.deepEqual(checkSignature({ ...good, name: '😀'.repeat(100) }).fields, {});
  assert.ok(checkSignature({ ...good, name: '😀'.repeat(101) }).fields.name);
  assert.deepEqual(checkSignature({ ...good, name: 'أمل حداد', city: 'حلب', comment: 'نحن هنا' }).fields, {});
});

test('control characters are refused, but a comment keeps its line breaks', () => {
  assert.ok(checkSignature({ ...good, name: 'Amal\u0000' }).fields.name);
  assert.ok(checkSignature({ ...good, name: 'Amal\u2028Haddad' }).fields.name);
  assert.ok(checkSignature({ ...good, city: 'Paris\u0085' }).fields.city);
  assert.ok(checkSignature({ ...good, comment: 'a\tb' }).fields.comment);
  const { fields, body } = checkSignature({ ...good, comment: 'first line\r\nsecond' });
  assert.deepEqual(fields, {});
  assert.equal(body.comment, 'first line\nsecond');
});

test('email: required unless the manifesto takes none; an IDN domain goes to its xn-- form', () => {
  assert.ok(checkSignature({ ...good, email: '' }).fields.email);
  const { fields, body } = checkSignature({ ...good, email: '' }, { requireEmail: false });
  assert.deepEqual(fields, {});
  assert.equal(body.email, undefined);
  assert.match(checkSignature({ ...good, email: 'x@y' }, { requireEmail: false }).fields.email, /leave it empty/);
  assert.equal(asciiEmail('amal@bücher.de'), 'amal@xn--bcher-kva.de');
  assert.deepEqual(checkSignature({ ...good, email: 'amal@bücher.de' }).fields, {});
  assert.equal(checkSignature({ ...good, email: 'amal@bücher.de' }).body.email, 'amal@xn--bcher-kva.de');
  assert.match(checkSignature({ ...good, email: 'أمل@example.org' }).fields.email, /before the @/);
});

test('initials as the server makes them (Amal Haddad → A. H.), in any script', () => {
  assert.equal(initials('Amal Haddad'), 'A. H.');
  assert.equal(initials('  émile   zola '), 'É. Z.');
  assert.equal(initials('أمل حداد'), 'أ. ح.');
  assert.equal(initials(''), '');
});

test('progress says the count, the goal and the share of it', () => {
  assert.deepEqual(progress(1, 0, 'en'), { text: '1 signature', ratio: null });
  assert.deepEqual(progress(1234, 5000, 'en'), { text: '1,234 signatures of 5,000 (25% of the goal)', ratio: 0.2468 });
  assert.equal(progress(6000, 5000, 'en').ratio, 1);
  assert.equal(progress(6000, 5000, 'en').text, '6,000 signatures of 5,000 (120% of the goal)');
});

test('the deadline, before and after', () => {
  const at = Date.parse('2026-05-01T18:00:00Z');
  assert.equal(deadlineText('2026-05-01T18:00:00Z', at - 3 * 86_400_000, 'en', 'UTC'), 'Signing closes on May 1, 2026 at 6:00 PM (in 3 days).');
  assert.equal(deadlineText('2026-05-01T18:00:00Z', at - 2 * 3_600_000, 'en', 'UTC'), 'Signing closes on May 1, 2026 at 6:00 PM (in 2 hours).');
  assert.equal(deadlineText('2026-05-01T18:00:00Z', at + 1, 'en', 'UTC'), 'Signing closed on May 1, 2026 at 6:00 PM.');
  assert.equal(deadlineText(null, at, 'en'), '');
  assert.equal(deadlineText('soon', at, 'en'), '');
});

test('countries by count, most first, zeros left out', () => {
  assert.deepEqual(countryRows({ FR: 2, SY: 5, DE: 2, IT: 0 }, 'en'), [['SY', 'Syria', 5], ['FR', 'France', 2], ['DE', 'Germany', 2]].sort((a, b) => b[2] - a[2] || a[1].localeCompare(b[1])));
  assert.deepEqual(countryRows(null, 'en'), []);
});

test('retry times in words, and chart bars relative to the largest', () => {
  assert.equal(retryText('30'), 'Please try again in 30 seconds.');
  assert.equal(retryText('600'), 'Please try again in 10 minutes.');
  assert.equal(retryText(null), 'Please try again in a moment.');
  assert.deepEqual(bars([['a', 50], ['b', 100], ['c', 0], ['d', 0.1]]).map((b) => b.percent), [50, 100, 0, 1]);
  assert.deepEqual(bars([['a', 0]]).map((b) => b.percent), [0]);
});

test('field errors in Arabic, from the catalog, with Arabic plural forms', () => {
  useCatalog('ar', catalogs.ar);
  try {
    const { fields } = checkSignature({ name: '', email: 'nope', country: 'ZZ', display: 'x', comment: 'y'.repeat(501) });
    assert.equal(fields.name, 'اكتب اسمك من فضلك.');
    assert.equal(fields.country, 'اختر بلدًا من القائمة.');
    assert.match(fields.email, /لا يبدو هذا عنوان بريد إلكتروني/);
    assert.equal(fields.comment, `التعليق طويل جدًا: ${formatNumber(500)} حرف على الأكثر.`);
    for (const text of Object.values(fields)) assert.doesNotMatch(text.replace(/\S*@\S*/g, ''), /[a-z]{3,}/i, `no English words: ${text}`);
    assert.equal(progress(2, 0).text, 'توقيعان');
    assert.equal(progress(3, 0).text, `${formatNumber(3)} توقيعات`);
    assert.equal(progress(11, 0).text, `${formatNumber(11)} توقيعًا`);
    assert.equal(retryText('120'), 'حاول مرة أخرى بعد دقيقتين.');
  } finally {
    inEnglish();
  }
});

test('the server’s field errors are said by field and reason, never in its English', () => {
  assert.equal(fieldMessage('name', 'too_long'), 'Your name is too long: at most 100 characters.');
  assert.equal(fieldMessage('email', 'invalid'), checkSignature({ ...good, email: 'x' }).fields.email);
  assert.equal(fieldMessage('name', 'something new'), 'Please check this field.');
  useCatalog('fr', catalogs.fr);
  try {
    assert.equal(fieldMessage('country', 'required'), 'Choisissez votre pays.');
  } finally {
    inEnglish();
  }
});

test('refusals by reason and status, and the answer after signing', () => {
  assert.equal(refusalText(409, { reason: 'closed' }), 'Signing is closed for this manifesto.');
  assert.equal(refusalText(409, { reason: 'deadline' }), 'Signing closed at its deadline.');
  assert.equal(refusalText(409, { reason: 'republished' }), 'A new version was published as you signed. Please read it and sign again.');
  assert.equal(refusalText(403, { reason: 'kiosk_key' }), 'This kiosk’s link is no longer valid. Ask the organisers for the current kiosk link.');
  assert.equal(refusalText(429, { reason: 'address' }, '30'), 'Too many signatures from this connection just now. Please try again in 30 seconds.');
  assert.equal(refusalText(503, { message: 'temporarily unable to serve this; retry' }), catalogs.en['common.serverError']);
  assert.match(answerText('pending', 'amal@example.org'), /^Check your email \(\u2068amal@example\.org\u2069\)/);
  assert.equal(answerText('confirmed'), 'Thank you: your signature is counted.');
});
