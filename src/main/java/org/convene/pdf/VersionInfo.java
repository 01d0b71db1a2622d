package org.convene.pdf;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The saved version a PDF shows: its number and name, when it was saved, and the SHA-256 of its
 * text (hex), so a reader can check a printed copy against the archive. The date is also the
 * PDF's creation date, which keeps the file reproducible.
 */
public record VersionInfo(int number, String name, Instant date, String sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public VersionInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(date, "date");
        if (number < 1) {
            throw new IllegalArgumentException("version numbers start at 1: " + number);
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
    }
}
