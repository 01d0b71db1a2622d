package org.convene.common;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The interface's languages on the server: the catalogs {@code messages/ui_<tag>.properties} (the same
 * files the browser's pages are built from, docs/i18n.md), which of them a request asked for, and
 * messages formatted with ICU4J for what the server writes itself (pages without JavaScript, emails).
 *
 * <p>Adding a language is adding a catalog: the list is read from the files found.
 */
public final class I18n {
  public static final String REFERENCE = "en";
  /** The cookie that remembers a reader's explicit choice; it carries no authority. */
  public static final String COOKIE = "lang";
  private static final String DIR = "messages";
  private static final Pattern FILE = Pattern.compile("ui_([A-Za-z0-9-]{1,35})\\.properties");

  private static final List<String> LANGUAGES = findLanguages();
  private static final Map<String, Map<String, String>> CATALOGS = new ConcurrentHashMap<>();
  private static final Map<String, MessageFormat> FORMATS = new ConcurrentHashMap<>();

  private I18n() {}

  /** The interface's languages, English first. */
  public static List<String> languages() {
    return LANGUAGES;
  }

  public static boolean supported(String tag) {
    return tag != null && LANGUAGES.contains(tag);
  }

  /** "rtl" or "ltr" for a BCP 47 tag (its likely script when it names none). */
  public static String direction(String tag) {
    return ULocale.forLanguageTag(tag).isRightToLeft() ? "rtl" : "ltr";
  }

  /**
   * The language to answer in: an explicit choice ({@code ?lang=} or the cookie) when it is one of
   * ours, else the best of {@code Accept-Language} (a region or script falls back to its language:
   * {@code es-MX} gets Spanish, {@code zh-TW} Chinese), else English.
   */
  public static String negotiate(String explicit, String cookie, String acceptLanguage) {
    if (supported(explicit)) {
      return explicit;
    }
    if (supported(cookie)) {
      return cookie;
    }
    if (acceptLanguage != null && !acceptLanguage.isBlank() && acceptLanguage.length() <= 1000) {
      try {
        for (Locale.LanguageRange range : Locale.LanguageRange.parse(acceptLanguage)) {
          if (range.getWeight() <= 0) {
            continue;
          }
          String wanted = range.getRange().toLowerCase(Locale.ROOT);
          for (String tag : LANGUAGES) {
            String lower = tag.toLowerCase(Locale.ROOT);
            if (wanted.equals(lower) || wanted.startsWith(lower + "-")) {
              return tag;
            }
          }
        }
      } catch (IllegalArgumentException e) {
        // A malformed header is no preference.
      }
    }
    return REFERENCE;
  }

  /** The catalog of a language ours, English where it lacks a key (the tests say none does). */
  public static Map<String, String> catalog(String tag) {
    return CATALOGS.computeIfAbsent(supported(tag) ? tag : REFERENCE, t -> {
      Map<String, String> merged = new HashMap<>(t.equals(REFERENCE) ? Map.of() : catalog(REFERENCE));
      merged.putAll(read(t));
      return Map.copyOf(merged);
    });
  }

  /** The message {@code key} in a language, its arguments given as name, value, name, value... */
  public static String format(String tag, String key, Object... namesAndValues) {
    String lang = supported(tag) ? tag : REFERENCE;
    String pattern = catalog(lang).get(key);
    if (pattern == null) {
      throw new IllegalArgumentException("no message " + key + " in ui_" + REFERENCE + ".properties");
    }
    Map<String, Object> args = new HashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      args.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    MessageFormat format = FORMATS.computeIfAbsent(lang + "\u0000" + key,
        k -> new MessageFormat(pattern, ULocale.forLanguageTag(lang)));
    synchronized (format) { // ICU's MessageFormat is not thread-safe
      return format.format(args);
    }
  }

  static Map<String, String> read(String tag) {
    try (InputStream in = I18n.class.getResourceAsStream("/" + DIR + "/ui_" + tag + ".properties")) {
      if (in == null) {
        throw new IllegalStateException("the catalog " + DIR + "/ui_" + tag + ".properties is missing");
      }
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> out = new HashMap<>();
      p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the catalog ui_" + tag, e);
    }
  }

  /** Every ui_<tag>.properties beside the English one, in a directory or in the jar. */
  private static List<String> findLanguages() {
    URL english = I18n.class.getResource("/" + DIR + "/ui_" + REFERENCE + ".properties");
    if (english == null) {
      throw new IllegalStateException("the catalog " + DIR + "/ui_" + REFERENCE + ".properties is missing");
    }
    List<String> found = new ArrayList<>();
    try {
      URI uri = english.toURI();
      if (uri.getScheme().equals("jar")) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        list(fs.getPath("/" + DIR), found);
      } else {
        list(Path.of(uri).getParent(), found);
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list the interface's catalogs", e);
    }
    found.sort((a, b) -> a.equals(REFERENCE) ? -1 : b.equals(REFERENCE) ? 1 : a.compareTo(b));
    return List.copyOf(found);
  }

  private static void list(Path dir, List<String> found) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> {
        Matcher m = FILE.matcher(f.getFileName().toString());
        if (m.matches()) {
          found.add(m.group(1));
        }
      });
    }
  }
}
