package org.convene.translations;

import com.ibm.icu.util.ULocale;
import java.util.Locale;

/** Target languages: BCP 47 tags checked and put in canonical form, named in themselves. */
public final class Languages {
  private Languages() {}

  /** A language as the API shows it: canonical tag, its name in itself, its writing direction. */
  public record Language(String tag, String name, String dir) {}

  /** Document ids allow at most 35 characters after the colon. */
  static final int MAX_TAG = 35;

  /**
   * The language of a BCP 47 tag, or null when the tag is malformed, names no language that ICU
   * knows, or holds parts Java drops (so "es-419" and "zh-Hant-TW" pass, "xx" and "en_US" do not).
   */
  public static Language parse(String tag) {
    if (tag == null || tag.isEmpty() || tag.length() > MAX_TAG || !tag.matches("[A-Za-z0-9-]+")) {
      return null;
    }
    Locale locale = Locale.forLanguageTag(tag);
    String canonical = locale.toLanguageTag();
    if (locale.getLanguage().isEmpty() || canonical.equals("und") || !canonical.equalsIgnoreCase(tag)
        || !locale.getVariant().isEmpty() || !locale.getExtensionKeys().isEmpty()) {
      return null;
    }
    ULocale ulocale = ULocale.forLanguageTag(canonical);
    String language = ulocale.getDisplayLanguage(ulocale);
    if (language.isEmpty() || language.equalsIgnoreCase(ulocale.getLanguage())) {
      return null; // ICU has no name for it: not a language we can show
    }
    String name = ulocale.getDisplayName(ulocale);
    name = name.substring(0, name.offsetByCodePoints(0, 1)).toUpperCase(locale)
        + name.substring(name.offsetByCodePoints(0, 1));
    return new Language(canonical, name, ulocale.isRightToLeft() ? "rtl" : "ltr");
  }
}
