package org.convene.common;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the server reads from its environment, parsed and validated once at start-up.
 * The operator contract is shared/spec/configuration.md; the limits below are our additions,
 * documented in the README.
 */
public record Config(
    int port,
    String databaseUrl,
    String publicUrl,
    boolean trustProxy,
    Limits limits) {

  public static final String DEFAULT_DATABASE_URL = "postgresql://postgres@localhost:5432/convene";

  /**
   * Bounds that keep one client or one document from taking the server down.
   *
   * @param maxDocumentLength UTF-16 units a document may hold
   * @param maxOperationLength inserted UTF-16 units plus components in one operation
   * @param framesPerSecond frames a connection may send per second (bursts of twice that); 0 = no limit
   * @param socketBacklogBytes bytes of publications the server may hold for a connection that does not
   *     read them (written to its socket, not yet passed to the operating system) before closing it
   */
  public record Limits(int maxDocumentLength, int maxOperationLength, int framesPerSecond, int socketBacklogBytes) {
    public static final Limits DEFAULTS = new Limits(1_000_000, 100_000, 100, 4 << 20);
  }

  /** The most a WebSocket message (and frame) from a client may carry; past it the socket is closed (1009). */
  public static final int MAX_MESSAGE_BYTES = 1 << 20;
  /**
   * The highest MAX_OPERATION_LENGTH follows the message limit: an operation that long fits in one
   * message whatever it inserts (UTF-8 takes at most 3 bytes for a UTF-16 unit) with 48 KiB to spare
   * for the frame around it, so an edit the limit allows is never cut off by the message limit first.
   */
  public static final int MAX_OPERATION_LENGTH_CEILING = (MAX_MESSAGE_BYTES - (48 << 10)) / 3;

  public static Config fromEnv(Map<String, String> env) {
    int port = intVar(env, "PORT", 8080, 0, 65535);
    String databaseUrl = env.getOrDefault("DATABASE_URL", DEFAULT_DATABASE_URL).trim();
    try {
      PgConnectOptions options = PgConnectOptions.fromUri(databaseUrl);
      if (options.getDatabase() == null || options.getDatabase().isBlank()) {
        throw new ConfigException("DATABASE_URL", "must name a database, e.g. " + DEFAULT_DATABASE_URL);
      }
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigException("DATABASE_URL", "not a postgresql:// URL (" + e.getMessage() + ")");
    }
    String publicUrl = env.getOrDefault("PUBLIC_URL", "http://localhost:" + port).trim();
    try {
      URI uri = new URI(publicUrl);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException("PUBLIC_URL", "must be an absolute http(s) URL, got '" + publicUrl + "'");
      }
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("PUBLIC_URL", "not a URL: " + e.getMessage());
    }
    if (publicUrl.endsWith("/")) {
      publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    }
    if (boolVar(env, "CLUSTER", false)) {
      throw new ConfigException("CLUSTER", "clustering is not available in this release; unset it or set false");
    }
    String smtpPort = env.get("SMTP_PORT");
    if (smtpPort != null) {
      intVar(env, "SMTP_PORT", 25, 1, 65535);
    }
    boolVar(env, "SMTP_STARTTLS", false);
    Limits limits = new Limits(
        intVar(env, "MAX_DOCUMENT_LENGTH", Limits.DEFAULTS.maxDocumentLength(), 1_000, 50_000_000),
        intVar(env, "MAX_OPERATION_LENGTH", Limits.DEFAULTS.maxOperationLength(), 100, MAX_OPERATION_LENGTH_CEILING),
        intVar(env, "RATE_LIMIT_FRAMES", Limits.DEFAULTS.framesPerSecond(), 0, 1_000_000),
        intVar(env, "MAX_SOCKET_BACKLOG", Limits.DEFAULTS.socketBacklogBytes(), 16 << 10, 1 << 30));
    return new Config(port, databaseUrl, publicUrl, boolVar(env, "TRUST_PROXY", false), limits);
  }

  public PgConnectOptions pgConnectOptions() {
    return PgConnectOptions.fromUri(databaseUrl);
  }

  private static int intVar(Map<String, String> env, String name, int fallback, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a whole number, got '" + raw + "'");
    }
  }

  private static boolean boolVar(Map<String, String> env, String name, boolean fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    return switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new ConfigException(name, "must be true or false, got '" + raw + "'");
    };
  }
}
