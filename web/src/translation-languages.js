// The languages an admin may add to a manifesto's translations: a list of names (each in itself and
// in the interface's language, via Intl.DisplayNames) and any other BCP 47 tag, checked here first
// (the server checks again: docs/translations.md, "Languages"). Pure; tested in web/test/translate-languages.test.mjs.

/** Languages many migrants read first; any other tag can be typed. */
export const CANDIDATES = [
  'am', 'ar', 'bn', 'ckb', 'de', 'en', 'es', 'fa', 'fr', 'ha', 'he', 'hi', 'ht', 'it', 'ja', 'ko', 'ku', 'ne',
  'pl', 'ps', 'pt', 'pt-BR', 'ro', 'ru', 'so', 'sw', 'ta', 'ti', 'fil', 'tr', 'uk', 'ur', 'vi', 'wo', 'yo',
  'zh-Hans', 'zh-Hant',
];

/** The canonical form of a BCP 47 tag naming a language the browser can name, else null. */
export function checkTag(raw) {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(text)) return null;
  let tag;
  try {
    [tag] = Intl.getCanonicalLocales(text);
  } catch (e) {
    return null;
  }
  // An alias becomes its canonical tag (tl: fil, iw: he), as the browser and ICU name it.
  return tag && nameOf(tag, tag) ? tag : null;
}

/** A language's name in the language `inLang`, or null when there is none. */
export function nameOf(tag, inLang) {
  try {
    const name = new Intl.DisplayNames([inLang], { type: 'language', fallback: 'none' }).of(tag);
    return name && name.toLowerCase() !== tag.toLowerCase() ? name : null;
  } catch (e) {
    return null;
  }
}

/**
 * The candidates not in `exclude` (tags, any case), each as {tag, own, local}: its name in itself
 * and in the interface's language, sorted by the latter as that language sorts.
 */
export function choices(uiLang, exclude = []) {
  const out = new Set(exclude.map((tag) => tag.toLowerCase()));
  const collator = new Intl.Collator(uiLang);
  return CANDIDATES.filter((tag) => !out.has(tag.toLowerCase()))
    .map((tag) => ({ tag, own: nameOf(tag, tag) || tag, local: nameOf(tag, uiLang) || tag }))
    .sort((a, b) => collator.compare(a.local, b.local));
}

/** An option's words: the name in itself, then in the interface's language when that differs. */
export function optionLabel(choice) {
  return choice.own.toLowerCase() === choice.local.toLowerCase() ? choice.own : `${choice.own} — ${choice.local}`;
}
