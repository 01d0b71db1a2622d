package org.convene.editions;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/** {@code Content-Disposition} for a PDF: an ASCII file name and, for other scripts, RFC 5987's. */
final class FileNames {
  private static final int MAX_SLUG = 80;

  private FileNames() {}

  /** {@code inline; filename="slug-v3-print.pdf"} plus {@code filename*=UTF-8''...} when the title is not ASCII. */
  static String contentDisposition(String title, int number, String edition) {
    String suffix = "-v" + number + "-" + edition + ".pdf";
    String ascii = asciiSlug(title);
    String header = "inline; filename=\"" + (ascii.isEmpty() ? "manifesto" : ascii) + suffix + "\"";
    String unicode = unicodeSlug(title);
    if (!unicode.isEmpty() && !unicode.equals(ascii)) {
      header += "; filename*=UTF-8''" + encode(unicode + suffix);
    }
    return header;
  }

  /** Latin letters without their accents, digits and dashes: "Déclaration d'Oran" → "declaration-d-oran". */
  static String asciiSlug(String title) {
    String plain = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return trim(plain);
  }

  /** Letters and digits of any script, with their marks, joined by dashes. */
  static String unicodeSlug(String title) {
    String words = Normalizer.normalize(title, Normalizer.Form.NFC).toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{M}\\p{N}]+", "-");
    return trim(words);
  }

  private static String trim(String slug) {
    String s = slug.replaceAll("^-+|-+$", "");
    if (s.codePointCount(0, s.length()) > MAX_SLUG) {
      s = s.substring(0, s.offsetByCodePoints(0, MAX_SLUG)).replaceAll("-+$", "");
    }
    return s;
  }

  /** RFC 5987 value-chars: attr-char as is, every other UTF-8 byte as %XX. */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }
}
