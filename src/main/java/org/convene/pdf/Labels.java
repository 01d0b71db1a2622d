package org.convene.pdf;

import java.util.Objects;
import java.util.stream.Stream;

/**
 * The few words the renderer writes itself, so that an Arabic edition need not carry English
 * captions. The caller supplies them in the edition's language; {@link #ENGLISH} otherwise.
 * {@code language} (BCP 47) is the language of these words: dates, numbers and country names
 * are written in it too, so a caption and the date after it never mix two languages.
 */
public record Labels(String language, String version, String textHash, String credits, String sign,
        String signatures, String byCountry, String signatories, String hidden) {

    public static final Labels ENGLISH = new Labels("en", "Version", "SHA-256 of the text", "Drafting and translation",
            "Sign this manifesto", "Signatures", "Signatories by country", "signatories",
            "chose not to be named");

    public Labels {
        if (Stream.of(language, version, textHash, credits, sign, signatures, byCountry, signatories, hidden)
                .anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("every label is needed");
        }
    }
}
