package org.convene.pdf;

import com.ibm.icu.text.DateFormat;
import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.text.NumberFormat;
import com.ibm.icu.util.TimeZone;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The words the renderer writes itself (captions, dates, counts, page numbers) in one language,
 * from the message catalog {@code messages/pdf_<tag>.properties}: ICU MessageFormat patterns with
 * named arguments and the language's plural rules. {@link #language()} is also the locale of every
 * date and number, so a caption and the digits after it never come from two languages: an edition
 * whose language has no catalog gets English captions with English dates and digits.
 *
 * <p>Immutable and thread-safe; one instance per catalog and language tag.
 */
public final class Labels {
    static final String CATALOGS = "/messages/pdf_";
    private static final String REFERENCE = "en";
    private static final Map<String, Labels> CACHE = new ConcurrentHashMap<>();

    public static final Labels ENGLISH = forLanguage(REFERENCE);

    private final String language;
    private final ULocale locale;
    private final Map<String, String> patterns;

    private Labels(String language, Map<String, String> patterns) {
        this.language = language;
        this.locale = ULocale.forLanguageTag(language);
        this.patterns = Map.copyOf(patterns);
    }

    /**
     * The captions for a BCP 47 tag: its language's catalog (with the tag's own regional formats,
     * so {@code ar-EG} gets Arabic-Indic digits), else English. A catalog named by language alone
     * stands for that language's usual script: {@code zh} serves {@code zh-CN} but not
     * {@code zh-TW}, which needs {@code pdf_zh-Hant.properties}.
     */
    public static Labels forLanguage(String languageTag) {
        Labels cached = CACHE.get(languageTag);
        if (cached != null) {
            return cached;
        }
        Labels loaded = load(languageTag);
        if (CACHE.size() < 512) { // tags come from stored manifestos: few, but not ours to bound
            CACHE.putIfAbsent(languageTag, loaded);
        }
        return loaded;
    }

    private static Labels load(String tag) {
        ULocale wanted = ULocale.addLikelySubtags(ULocale.forLanguageTag(tag));
        String lang = wanted.getLanguage();
        String script = wanted.getScript();
        Optional<Map<String, String>> found = read(lang + "-" + script);
        if (found.isEmpty() && script.equals(ULocale.addLikelySubtags(new ULocale(lang)).getScript())) {
            found = read(lang);
        }
        if (found.isEmpty()) {
            return tag.equals(REFERENCE) ? fail() : ENGLISH;
        }
        // Keys missing from a catalog fall back to English rather than failing a render.
        Map<String, String> merged = new HashMap<>(tag.equals(REFERENCE) ? Map.of() : ENGLISH.patterns);
        merged.putAll(found.get());
        return new Labels(tag, merged);
    }

    private static Labels fail() {
        throw new IllegalStateException("the English catalog " + CATALOGS + REFERENCE + ".properties is missing");
    }

    /** The catalog for a file tag such as {@code ar} or {@code zh-Hant}, if one is shipped. */
    static Optional<Map<String, String>> read(String fileTag) {
        try (InputStream in = Labels.class.getResourceAsStream(CATALOGS + fileTag + ".properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> out = new HashMap<>();
            p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
            return Optional.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog " + fileTag, e);
        }
    }

    /** BCP 47 tag of these words, and of the dates and numbers written with them. */
    public String language() {
        return language;
    }

    ULocale locale() {
        return locale;
    }

    /** The message {@code key} with its arguments given as name, value, name, value... */
    public String format(String key, Object... namesAndValues) {
        return formatter().format(key, namesAndValues);
    }

    /**
     * A formatter for one document, on one thread, that compiles each message once: compiling
     * one costs about 0.2 ms, and the footers format two per page, 760 pages for a long appendix.
     */
    Formatter formatter() {
        return new Formatter();
    }

    final class Formatter {
        private final Map<String, MessageFormat> compiled = new HashMap<>();

        String format(String key, Object... namesAndValues) {
            MessageFormat message = compiled.computeIfAbsent(key, k -> {
                String pattern = patterns.get(k);
                if (pattern == null) {
                    throw new IllegalArgumentException("no message " + k);
                }
                return new MessageFormat(pattern, locale);
            });
            Map<String, Object> args = new HashMap<>();
            for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
                args.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
            return message.format(args);
        }
    }

    /** A date as the language writes it in full, in UTC (the same everywhere, for reproducible files). */
    public String date(Instant when) {
        DateFormat format = DateFormat.getDateInstance(DateFormat.LONG, locale);
        format.setTimeZone(TimeZone.GMT_ZONE);
        return format.format(Date.from(when));
    }

    /** Integers in this language's digits and grouping. */
    NumberFormat integers() {
        return NumberFormat.getIntegerInstance(locale);
    }

    public String sign() {
        return format("pdf.sign");
    }

    /** A contributor's role in the credits: drafting, with their share of the text (0 to 1). */
    public String drafting(double share) {
        return format("pdf.credit.drafting", "share", share);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && other.language.equals(language) && other.patterns.equals(patterns);
    }

    @Override
    public int hashCode() {
        return language.hashCode();
    }

    /** Names the language; part of the document ID, so it must not vary between runs. */
    @Override
    public String toString() {
        return "Labels[" + language + "]";
    }
}
