package org.convene.signing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The no-JavaScript form's CSRF token: a signed double submit. The server hands out a token (in the
 * form page it renders, and in a cookie) that is an expiry, a nonce and an HMAC of both with the
 * manifesto id; a form post must carry the token in its {@code csrf} field and the same token in
 * the {@code convene_csrf} cookie, which a browser sends only with requests from our own pages
 * (SameSite=Strict). The key is drawn at start-up: a restart voids open forms, and the answer to
 * such a post is the form again with a fresh token.
 */
final class Csrf {
  static final String COOKIE = "convene_csrf";
  static final String FIELD = "csrf";
  static final long LIFETIME_SECONDS = 4 * 3600;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key = new byte[32];

  Csrf() {
    RANDOM.nextBytes(key);
  }

  String issue(String manifestoId, long nowSeconds) {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    ByteBuffer b = ByteBuffer.allocate(8 + 16 + 32);
    b.putLong(nowSeconds + LIFETIME_SECONDS).put(nonce).put(mac(manifestoId, nowSeconds + LIFETIME_SECONDS, nonce));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** True when the field and the cookie hold the same unexpired token, signed by us for this manifesto. */
  boolean valid(String manifestoId, String field, String cookie, long nowSeconds) {
    if (field == null || cookie == null || field.length() > 100
        || !MessageDigest.isEqual(field.getBytes(StandardCharsets.US_ASCII), cookie.getBytes(StandardCharsets.US_ASCII))) {
      return false;
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(field);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (raw.length != 56) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(raw);
    long expiry = b.getLong();
    byte[] nonce = new byte[16];
    b.get(nonce);
    byte[] mac = new byte[32];
    b.get(mac);
    return expiry > nowSeconds && MessageDigest.isEqual(mac, mac(manifestoId, expiry, nonce));
  }

  private byte[] mac(String manifestoId, long expiry, byte[] nonce) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      m.update(manifestoId.getBytes(StandardCharsets.UTF_8));
      m.update((byte) 0);
      m.update(ByteBuffer.allocate(8).putLong(expiry).array());
      return m.doFinal(nonce);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from the JVM", e);
    }
  }
}
