// Pure helpers of the public page: which language its text is shown in, and the addresses of the PDF
// editions of that text. No DOM, so node tests cover them (web/test/published.test.mjs).

/** The primary language of a BCP 47 tag, lower case: "fa-IR" → "fa". */
function primary(tag) {
  return String(tag || '').split('-')[0].toLowerCase();
}

/** A tag as the API takes it: letters, digits and hyphens, at most 35 characters; else null. */
export function cleanTag(tag) {
  return typeof tag === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/.test(tag) ? tag : null;
}

/**
 * The language the text is shown in: the one asked for (?text=) if it is the original or a published
 * translation, else the translation into the interface's language (exact tag first, then the same
 * primary language), else the original.
 * @param {string} original the manifesto's own language
 * @param {string[]} translations the languages published for the version shown
 * @param {string} interfaceLang the interface's language
 * @param {string|null} [asked] the reader's choice, if any
 */
export function chooseTextLanguage(original, translations, interfaceLang, asked = null) {
  const all = [original, ...translations];
  const exact = (tag) => all.find((t) => t && tag && t.toLowerCase() === tag.toLowerCase());
  if (asked && exact(asked)) return exact(asked);
  if (primary(original) === primary(interfaceLang)) return original;
  return exact(interfaceLang) || translations.find((t) => primary(t) === primary(interfaceLang)) || original;
}

/**
 * The PDF editions of version `number` in `language`: reading, print on A4, print on US Letter, the
 * print edition with the signers' appendix, and (for a translation) side by side with the original.
 * A language other than the original's is asked for with lang=, as the editions API takes it.
 */
export function editionLinks(doc, number, language, original) {
  const base = `/api/manifestos/${encodeURIComponent(doc)}/versions/${encodeURIComponent(number)}/pdf`;
  const translated = Boolean(language) && language.toLowerCase() !== String(original || '').toLowerCase();
  const lang = translated ? `&lang=${encodeURIComponent(language)}` : '';
  return {
    reading: `${base}?edition=reading${lang}`,
    a4: `${base}?edition=print&paper=A4${lang}`,
    letter: `${base}?edition=print&paper=Letter${lang}`,
    signers: `${base}?edition=print&with=signatures${lang}`,
    bilingual: translated
      ? `${base}?edition=bilingual&lang=${encodeURIComponent(language)}&lang2=${encodeURIComponent(original)}` : null,
  };
}

/** A language's name in itself ("العربية", "español"), the tag where the browser does not know it. */
export function autonym(tag) {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'language' }).of(tag);
    return name && name !== tag ? name.charAt(0).toLocaleUpperCase(tag) + name.slice(1) : tag;
  } catch (e) {
    return tag;
  }
}
