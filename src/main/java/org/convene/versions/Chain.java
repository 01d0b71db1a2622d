package org.convene.versions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The tamper-evident chain of a manifesto's versions (docs/versions.md states it for verifiers):
 *
 * <pre>
 * chain(n) = SHA-256( chain(n-1) || SHA-256(text) || UTF-8(metadata) )   (32 + 32 bytes + metadata)
 * chain(0) = 32 zero bytes
 * metadata = manifestoId US number US name US note US revision US createdAt US createdBy   (US = U+001F)
 * </pre>
 *
 * Numbers are decimal, createdAt is ISO 8601 UTC with exactly three decimals ("2025-05-01T09:30:00.000Z").
 * Names, notes and authors never contain U+001F (the API refuses control characters), so the metadata
 * reads back one way only.
 */
final class Chain {
  static final String GENESIS = "0".repeat(64);
  private static final char SEPARATOR = '\u001f';
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Chain() {}

  /** What the chain covers besides the text. */
  record Metadata(String manifestoId, int number, String name, String note, int revision, Instant createdAt,
                  String createdBy) {
    String canonical() {
      return String.join(String.valueOf(SEPARATOR), manifestoId, Integer.toString(number), name, note,
          Integer.toString(revision), time(createdAt), createdBy);
    }
  }

  /** Times are kept to the millisecond, so what is stored, hashed and shown is the same instant. */
  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  static String time(Instant t) {
    return TIME.format(t);
  }

  static String sha256(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String link(String previousChain, String textSha256, Metadata metadata) {
    MessageDigest d = digest();
    d.update(HexFormat.of().parseHex(previousChain));
    d.update(HexFormat.of().parseHex(textSha256));
    d.update(metadata.canonical().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }
}
