// Pure helpers of signing, shared by the public page, the kiosk and the admin
// panel: the country list, the form's checks (a mirror of the server's, so
// most mistakes are caught before a round trip; the server stays the judge),
// and the wording of counts, progress and deadlines. No DOM, so node tests
// cover it; the build also uses COUNTRIES to write the no-JavaScript form's
// options into the page.

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

/** What each display choice shows to the public, said plainly beside the choice. */
export const DISPLAY_TEXT = {
  full: 'Your name as you write it, with your city and comment, in the public list of signers.',
  initials: 'Only your initials (for example “A. B.”), with your city and comment, in the public list.',
  hidden: 'Nothing about you in the public list: you are only counted. Your country counts in the totals by country.',
};

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

  if (!name) fields.name = 'Please write your name.';
  else if (units(name) > LIMITS.name) fields.name = `Your name is too long: at most ${LIMITS.name} characters.`;
  else if (CONTROL.test(name)) fields.name = 'Your name holds an invisible control character; please retype it.';

  if (requireEmail) {
    if (!email) fields.email = 'Please write your email address: we send you a link to confirm your signature.';
    else if (units(email) > LIMITS.email || !EMAIL.test(email)) fields.email = emailProblem(email);
  } else if (email && (units(email) > LIMITS.email || !EMAIL.test(email))) {
    fields.email = `${emailProblem(email)} You may also leave it empty.`;
  }

  if (!country) fields.country = 'Please choose your country.';
  else if (!COUNTRY_SET.has(country)) fields.country = 'Please choose a country from the list.';

  if (units(city) > LIMITS.city) fields.city = `The city is too long: at most ${LIMITS.city} characters.`;
  else if (CONTROL.test(city)) fields.city = 'The city holds an invisible control character; please retype it.';

  if (units(comment) > LIMITS.comment) fields.comment = `The comment is too long: at most ${LIMITS.comment} characters (now ${units(comment)}).`;
  else if (CONTROL_BUT_LINES.test(comment)) fields.comment = 'The comment holds an invisible control character; please retype it.';

  if (!DISPLAY_CHOICES.includes(v.display)) fields.display = 'Please choose how your signature appears.';

  const body = { name, country, display: v.display };
  if (email) body.email = email;
  if (city) body.city = city;
  if (comment) body.comment = comment;
  if (typeof v.language === 'string' && v.language) body.language = v.language;
  body.updates = Boolean(v.updates);
  return { fields, body };
}

function emailProblem(email) {
  const local = email.slice(0, Math.max(0, email.lastIndexOf('@')));
  if (/[^\x00-\x7F]/.test(local)) return 'The part before the @ can only hold Latin letters, digits and . _ + -: email servers refuse others.';
  return 'This does not look like an email address (name@example.org).';
}

/** "A. B." from a name, any script: the first letter of each word, as a preview of "initials". */
export function initials(name) {
  const words = (name || '').trim().split(/[\s\u00A0\u2000-\u200B\u3000-]+/u).filter(Boolean);
  return words.map((w) => `${[...w.normalize('NFC')][0].toLocaleUpperCase()}.`).join(' ');
}

/** 12345 → "12,345" in the page's language. */
export function formatCount(n, language) {
  return new Intl.NumberFormat(language || 'en').format(Number(n) || 0);
}

/**
 * The count in words, with the goal if there is one.
 * @returns {{text: string, ratio: number|null}} ratio in [0, 1], null without a goal
 */
export function progress(confirmed, goal, language) {
  const n = Number(confirmed) || 0;
  const count = formatCount(n, language);
  const noun = n === 1 ? 'signature' : 'signatures';
  if (!goal || goal <= 0) return { text: `${count} ${noun}`, ratio: null };
  const ratio = Math.min(1, n / goal);
  const pct = new Intl.NumberFormat(language || 'en', { style: 'percent', maximumFractionDigits: 0 }).format(n / goal);
  return { text: `${count} ${noun} of ${formatCount(goal, language)} (${pct} of the goal)`, ratio };
}

/**
 * The deadline in words: "Signing closes on 1 May 2026, 18:00 (in 3 days)" or "Signing closed on ...".
 * @param {string} iso the deadline (ISO 8601)
 * @param {number} now milliseconds since the epoch
 */
export function deadlineText(iso, now, language, timeZone) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const at = d.toLocaleString(language || 'en', { dateStyle: 'long', timeStyle: 'short', timeZone });
  const left = d.getTime() - now;
  if (left <= 0) return `Signing closed on ${at}.`;
  const rel = new Intl.RelativeTimeFormat(language || 'en', { numeric: 'auto' });
  const hours = left / 3_600_000;
  const inWords = hours < 1 ? rel.format(Math.max(1, Math.round(left / 60_000)), 'minute')
    : hours < 48 ? rel.format(Math.round(hours), 'hour')
      : rel.format(Math.round(hours / 24), 'day');
  return `Signing closes on ${at} (${inWords}).`;
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
  if (!Number.isFinite(s) || s <= 0) return 'Please try again in a moment.';
  if (s < 90) return `Please try again in ${Math.ceil(s)} seconds.`;
  if (s < 5400) return `Please try again in ${Math.ceil(s / 60)} minutes.`;
  return `Please try again in ${Math.ceil(s / 3600)} hours.`;
}

/** A person's sentence after signing, from the server's answer. */
export function answerText(status, email) {
  if (status === 'confirmed') return 'Thank you: your signature is counted.';
  return `Check your email${email ? ` (${email})` : ''}: we sent you a link. Your signature counts once you follow it. `
    + 'Nothing arrived? Look in your spam folder; the link works for 7 days.';
}

/**
 * Bars of a chart as percentages of the largest value (at least 1% so a non-zero bar shows).
 * @param {Array<[string, number]>} rows [label, value]
 */
export function bars(rows) {
  const max = Math.max(0, ...rows.map(([, v]) => v));
  return rows.map(([label, value]) => ({ label, value, percent: max === 0 ? 0 : Math.max(value > 0 ? 1 : 0, Math.round((100 * value) / max)) }));
}
