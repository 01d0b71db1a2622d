package org.convene.common;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.time.Duration;
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
    Limits limits,
    // Live documents
    Duration idleUnload) {

  public static final String DEFAULT_DATABASE_URL = "postgresql://postgres@localhost:5432/convene";
  /** How long a document stays loaded with nobody connected and nothing edited (IDLE_UNLOAD_SECONDS). */
  public static final Duration DEFAULT_IDLE_UNLOAD = Duration.ofMinutes(5);

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
        intVar(env, "MAX_OPERATION_LENGTH", Limits.DEFAULTS.maxOperationLength(), 100, 10_000_000),
        intVar(env, "RATE_LIMIT_FRAMES", Limits.DEFAULTS.framesPerSecond(), 0, 1_000_000),
        intVar(env, "MAX_SOCKET_BACKLOG", Limits.DEFAULTS.socketBacklogBytes(), 16 << 10, 1 << 30));
    // Live documents: a short idle time frees memory sooner and costs a reload (one snapshot plus the
    // operations after it) when someone comes back.
    Duration idleUnload = Duration.ofSeconds(
        intVar(env, "IDLE_UNLOAD_SECONDS", (int) DEFAULT_IDLE_UNLOAD.toSeconds(), 1, 86_400));
    return new Config(port, databaseUrl, publicUrl, boolVar(env, "TRUST_PROXY", false), limits,
        idleUnload);
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
