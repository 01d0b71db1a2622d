package org.convene.pdf;

import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything one PDF is made from. The same request always gives the same bytes.
 *
 * @param title        the manifesto's title
 * @param language     BCP 47 tag of {@code text}; the PDF's language (catalog /Lang, dc:language)
 * @param text         the version's text, parsed
 * @param translation  the translation for the bilingual edition, paragraph by paragraph; else null
 * @param translationLanguage BCP 47 tag of {@code translation}; null without one
 * @param version      number, name, date and SHA-256 of the version
 * @param credits      drafting and translation credits, printed in this order
 * @param signUrl      the signing page, printed as a QR code and a link; null for none
 * @param edition      print, reading or bilingual
 * @param paper        A4 or Letter
 * @param signatures   the signatures appendix; null for none
 * @param labels       the captions; null for those of {@code language} (English when it has no catalog)
 */
public record PdfRequest(String title, String language, ManifestoText text, ManifestoText translation,
        String translationLanguage, VersionInfo version, List<Credit> credits, String signUrl, Edition edition,
        PaperSize paper, SignatureSource signatures, Labels labels) {

    public PdfRequest {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(paper, "paper");
        checkLanguage(language, "language");
        if (signUrl != null && signUrl.isBlank()) {
            throw new IllegalArgumentException("signUrl is null for none, never blank");
        }
        credits = credits == null ? List.of() : List.copyOf(credits);
        labels = labels == null ? Labels.forLanguage(language) : labels;
        if (edition == Edition.BILINGUAL) {
            Objects.requireNonNull(translation, "the bilingual edition needs a translation");
            checkLanguage(translationLanguage, "translationLanguage");
        } else if (translation != null) {
            throw new IllegalArgumentException("a translation is only printed in the bilingual edition");
        }
    }

    /** A request without translation or signatures, captions in the text's language: the common case. */
    public static PdfRequest of(String title, String language, ManifestoText text, VersionInfo version,
            Edition edition, PaperSize paper) {
        return new PdfRequest(title, language, text, null, null, version, List.of(), null, edition, paper, null,
                null);
    }

    public PdfRequest withSignUrl(String url) {
        return new PdfRequest(title, language, text, translation, translationLanguage, version, credits, url,
                edition, paper, signatures, labels);
    }

    public PdfRequest withCredits(List<Credit> list) {
        return new PdfRequest(title, language, text, translation, translationLanguage, version, list, signUrl,
                edition, paper, signatures, labels);
    }

    public PdfRequest withSignatures(SignatureSource source) {
        return new PdfRequest(title, language, text, translation, translationLanguage, version, credits, signUrl,
                edition, paper, source, labels);
    }

    public PdfRequest withTranslation(ManifestoText other, String otherLanguage) {
        return new PdfRequest(title, language, text, other, otherLanguage, version, credits, signUrl,
                Edition.BILINGUAL, paper, signatures, labels);
    }

    public PdfRequest withLabels(Labels words) {
        return new PdfRequest(title, language, text, translation, translationLanguage, version, credits, signUrl,
                edition, paper, signatures, words);
    }

    private static void checkLanguage(String tag, String field) {
        Objects.requireNonNull(tag, field);
        try {
            new Locale.Builder().setLanguageTag(tag);
        } catch (IllformedLocaleException e) {
            throw new IllegalArgumentException(field + " is not a BCP 47 tag: " + tag, e);
        }
    }
}
