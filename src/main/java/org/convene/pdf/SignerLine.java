package org.convene.pdf;

import java.util.Objects;

/**
 * A signer as printed: the name exactly as they chose to show it (full or initials), their city
 * (may be empty) and country (an ISO 3166 code, printed as the country's name).
 */
public record SignerLine(String displayName, String city, String country) {
    public SignerLine {
        Objects.requireNonNull(displayName, "displayName");
        city = city == null ? "" : city;
        country = country == null ? "" : country;
    }
}
