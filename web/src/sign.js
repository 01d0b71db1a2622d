// Pure helpers of signing, shared by the public page, the kiosk and the admin
// panel: the country list, the form's checks (a mirror of the server's, so
// most mistakes are caught before a round trip; the server stays the judge),
// and the wording of counts, progress and deadlines, all from the interface's
// catalog (i18n.js). No DOM, so node tests cover it; the build also uses
// COUNTRIES to write the no-JavaScript form's options into the page.

import { formatDate, formatNumber, formatRelative, t } from './i18n.js';

/** ISO 3166-1 alpha-2: every officially assigned code (249). */
export const COUNTRIES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ '
  + 'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO '
  + 'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE '
  + 'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO '
  + 'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW '
  + 'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM '
  + 'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const COUNTRY_SET = new Set(COUNTRIES);

export const DISPLAY_CHOICES = ['full', 'initials', 'hidden'];

/** What a display choice shows to the public, said plainly beside the choice. */
export function displayText(choice) {
  if (choice === 'full') return t('signing.display.full');
  if (choice === 'initials') return t('signing.display.initials');
  return t('signing.display.hidden');
}

/** Text from people inside a sentence keeps its own direction (FSI ... PDI). */
export function isolate(text) {
  return `\u2068${text}\u2069`;
}

export const LIMITS = { name: 100, email: 254, city: 100, comment: 500 };

/** The names of countries in a language (Intl.DisplayNames), the code itself where unknown. */
export function countryNamer(language) {
  let names = null;
  try {
    names = new Intl.DisplayNames([language || 'en', 'en'], { type: 'region', fallback: 'code' });
  } catch (e) {
    names = null;
  }
  return (code) => {
    if (!names) return code;
    try { return names.of(code) || code; } catch (e) { return code; }
  };
}

/** [[code, name]] of every country, sorted by name as that language sorts. */
export function countryOptions(language) {
  const name = countryNamer(language);
  const collator = new Intl.Collator(language || 'en');
  return COUNTRIES.map((code) => [code, name(code)]).sort((a, b) => collator.compare(a[1], b[1]));
}

// C0 and C1 controls and the Unicode line/paragraph separators; a comment may keep its line breaks.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/u;
const CONTROL_BUT_LINES = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/u;
// As the server has it: an ASCII local part, a domain of ASCII labels (an IDN in its xn-- form).
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Length as the server counts it: code points, so an emoji or a rare CJK character counts once. */
function units(s) {
  return [...s].length;
}

/** An address with a domain in any script, its domain put in the xn-- form the server takes. */
export function asciiEmail(email) {
  const at = email.lastIndexOf('@');
  if (at < 0 || /^[\x00-\x7F]*$/.test(email)) return email;
  try {
    const host = new URL(`http://${email.slice(at + 1)}`).hostname;
    return `${email.slice(0, at)}@${host}`;
  } catch (e) {
    return email;
  }
}

/**
 * The form's values checked as the server checks them. Returns {fields: {field: message}} with
 * nothing in it when all is well, and the body to send (trimmed, empty optionals left out).
 * @param {object} v {name, email, country, city, comment, display, updates, language}
 * @param {{requireEmail?: boolean}} [o] a manifesto that does not require email takes none
 */
export function checkSignature(v, { requireEmail = true } = {}) {
  const fields = {};
  const s = (x) => (typeof x === 'string' ? x.trim() : '');
  const name = s(v.name);
  const email = asciiEmail(s(v.email));
  const country = s(v.country).toUpperCase();
  const city = s(v.city);
  const comment = s(v.comment).replace(/\r\n?/g, '\n');

  if (!name) fields.name = t('signing.error.nameRequired');
  else if (units(name) > LIMITS.name) fields.name = t('signing.error.nameTooLong', { max: LIMITS.name });
  else if (CONTROL.test(name)) fields.name = t('signing.error.nameControl');

  if (requireEmail) {
    if (!email) fields.email = t('signing.error.emailRequired');
    else if (units(email) > LIMITS.email || !EMAIL.test(email)) fields.email = emailProblem(email, false);
  } else if (email && (units(email) > LIMITS.email || !EMAIL.test(email))) {
    fields.email = emailProblem(email, true);
  }

  if (!country) fields.country = t('signing.error.countryRequired');
  else if (!COUNTRY_SET.has(country)) fields.country = t('signing.error.countryInvalid');

  if (units(city) > LIMITS.city) fields.city = t('signing.error.cityTooLong', { max: LIMITS.city });
  else if (CONTROL.test(city)) fields.city = t('signing.error.cityControl');

  if (units(comment) > LIMITS.comment) fields.comment = t('signing.error.commentTooLong', { max: LIMITS.comment });
  else if (CONTROL_BUT_LINES.test(comment)) fields.comment = t('signing.error.commentControl');

  if (!DISPLAY_CHOICES.includes(v.display)) fields.display = t('signing.error.displayRequired');

  const body = { name, country, display: v.display };
  if (email) body.email = email;
  if (city) body.city = city;
  if (comment) body.comment = comment;
  if (typeof v.language === 'string' && v.language) body.language = v.language;
  body.updates = Boolean(v.updates);
  return { fields, body };
}

function emailProblem(email, optional) {
  const local = email.slice(0, Math.max(0, email.lastIndexOf('@')));
  if (/[^\x00-\x7F]/.test(local)) return optional ? t('signing.error.emailLocalOptional') : t('signing.error.emailLocal');
  return optional ? t('signing.error.emailInvalidOptional') : t('signing.error.emailInvalid');
}

/**
 * The server's problem with a field (its 400's `reasons`: required, too_long, control, invalid,
 * type) in the interface's language; its English `fields` text is never shown.
 */
export function fieldMessage(field, reason) {
  switch (`${field} ${reason}`) {
    case 'name required': return t('signing.error.nameRequired');
    case 'name too_long': return t('signing.error.nameTooLong', { max: LIMITS.name });
    case 'name control': return t('signing.error.nameControl');
    case 'email required': return t('signing.error.emailRequired');
    case 'email invalid': return t('signing.error.emailInvalid');
    case 'country required': return t('signing.error.countryRequired');
    case 'country invalid': return t('signing.error.countryInvalid');
    case 'city too_long': return t('signing.error.cityTooLong', { max: LIMITS.city });
    case 'city control': return t('signing.error.cityControl');
    case 'comment too_long': return t('signing.error.commentTooLong', { max: LIMITS.comment });
    case 'comment control': return t('signing.error.commentControl');
    case 'display required':
    case 'display invalid': return t('signing.error.displayRequired');
    default: return t('signing.error.field');
  }
}

/**
 * Why the server refused a signature (its `reason`, or the status), in the interface's language.
 * @param {number} status
 * @param {object|null} reply the JSON answer
 * @param {string|null} retryAfter the Retry-After header of a 429
 */
export function refusalText(status, reply, retryAfter) {
  const reason = reply && typeof reply.reason === 'string' ? reply.reason : '';
  if (status === 429) {
    return `${reason === 'kiosk' ? t('signing.refused.kioskBusy') : t('signing.refused.busy')} ${retryText(retryAfter)}`;
  }
  switch (reason) {
    case 'closed': return t('signing.refused.closed');
    case 'deadline': return t('signing.refused.deadline');
    case 'unpublished': return t('signing.refused.unpublished');
    case 'republished': return t('signing.refused.republished');
    case 'kiosk_key': return t('signing.refused.kioskKey');
    default: break;
  }
  if (status === 404) return t('signing.refused.notFound');
  if (status === 413 || status === 400) return t('signing.error.field');
  return t('common.serverError');
}

/** "A. B." from a name, any script: the first letter of each word, as a preview of "initials". */
export function initials(name) {
  const words = (name || '').trim().split(/[\s\u00A0\u2000-\u200B\u3000-]+/u).filter(Boolean);
  return words.map((w) => `${[...w.normalize('NFC')][0].toLocaleUpperCase()}.`).join(' ');
}

/** 12345 → "12,345" in the interface's language (the argument is kept for callers that name it). */
export function formatCount(n, _language) {
  return formatNumber(Number(n) || 0);
}

/**
 * The count in words, with the goal if there is one.
 * @returns {{text: string, ratio: number|null}} ratio in [0, 1], null without a goal
 */
export function progress(confirmed, goal, _language) {
  const n = Number(confirmed) || 0;
  if (!goal || goal <= 0) return { text: t('signing.count', { n }), ratio: null };
  const ratio = Math.min(1, n / goal);
  return { text: t('signing.countOfGoal', { n, goal, share: n / goal }), ratio };
}

/**
 * The deadline in words: "Signing closes on 1 May 2026, 18:00 (in 3 days)" or "Signing closed on ...".
 * @param {string} iso the deadline (ISO 8601)
 * @param {number} now milliseconds since the epoch
 */
export function deadlineText(iso, now, _language, timeZone) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const at = formatDate(d, { dateStyle: 'long', timeStyle: 'short', timeZone });
  const left = d.getTime() - now;
  if (left <= 0) return t('signing.deadline.closed', { at });
  const hours = left / 3_600_000;
  const inWords = hours < 1 ? formatRelative(Math.max(1, Math.round(left / 60_000)), 'minute')
    : hours < 48 ? formatRelative(Math.round(hours), 'hour')
      : formatRelative(Math.round(hours / 24), 'day');
  return t('signing.deadline.open', { at, left: inWords });
}

/** {FR: 12, ...} → [[code, name, count]], most first, then by name. */
export function countryRows(byCountry, language) {
  const name = countryNamer(language);
  const collator = new Intl.Collator(language || 'en');
  return Object.entries(byCountry || {})
    .filter(([, n]) => Number(n) > 0)
    .map(([code, n]) => [code, name(code), Number(n)])
    .sort((a, b) => b[2] - a[2] || collator.compare(a[1], b[1]));
}

/** "Please try again in 2 minutes." from a Retry-After header in seconds. */
export function retryText(retryAfter) {
  const s = Number(retryAfter);
  if (!Number.isFinite(s) || s <= 0) return t('signing.retry.moment');
  if (s < 90) return t('signing.retry.seconds', { n: Math.ceil(s) });
  if (s < 5400) return t('signing.retry.minutes', { n: Math.ceil(s / 60) });
  return t('signing.retry.hours', { n: Math.ceil(s / 3600) });
}

/** A person's sentence after signing, from the server's answer. */
export function answerText(status, email) {
  if (status === 'confirmed') return t('signing.done.confirmed');
  return email ? t('signing.done.pendingTo', { email: isolate(email), days: 7 }) : t('signing.done.pending', { days: 7 });
}

/**
 * Bars of a chart as percentages of the largest value (at least 1% so a non-zero bar shows).
 * @param {Array<[string, number]>} rows [label, value]
 */
export function bars(rows) {
  const max = Math.max(0, ...rows.map(([, v]) => v));
  return rows.map(([label, value]) => ({ label, value, percent: max === 0 ? 0 : Math.max(value > 0 ? 1 : 0, Math.round((100 * value) / max)) }));
}
