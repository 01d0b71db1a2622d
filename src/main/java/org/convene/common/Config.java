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
    Limits limits,
    Mail mail,
    Signing signing) {

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

  /**
   * Outgoing mail (SMTP_*, MAIL_FROM); {@code host} null when SMTP_HOST is unset: then nothing is sent
   * and the links are logged instead.
   */
  public record Mail(String host, int port, String user, String password, boolean startTls, String from) {
    public boolean configured() {
      return host != null;
    }

    @Override
    public String toString() { // never print the password
      return "Mail[host=" + host + ", port=" + port + ", user=" + user + ", startTls=" + startTls + ", from=" + from + "]";
    }
  }

  /**
   * Signing (docs/signing.md).
   *
   * @param confirmDays days a confirmation link stays valid (SIGNING_CONFIRM_DAYS)
   * @param ipRetentionDays days a signer's IP address is kept for abuse control (SIGNING_IP_RETENTION_DAYS)
   */
  public record Signing(int confirmDays, int ipRetentionDays) {
    public static final Signing DEFAULTS = new Signing(7, 30);
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
    Mail mail = mail(env);
    Signing signing = new Signing(
        intVar(env, "SIGNING_CONFIRM_DAYS", Signing.DEFAULTS.confirmDays(), 1, 365),
        intVar(env, "SIGNING_IP_RETENTION_DAYS", Signing.DEFAULTS.ipRetentionDays(), 1, 3650));
    Limits limits = new Limits(
        intVar(env, "MAX_DOCUMENT_LENGTH", Limits.DEFAULTS.maxDocumentLength(), 1_000, 50_000_000),
        intVar(env, "MAX_OPERATION_LENGTH", Limits.DEFAULTS.maxOperationLength(), 100, 10_000_000),
        intVar(env, "RATE_LIMIT_FRAMES", Limits.DEFAULTS.framesPerSecond(), 0, 1_000_000),
        intVar(env, "MAX_SOCKET_BACKLOG", Limits.DEFAULTS.socketBacklogBytes(), 16 << 10, 1 << 30));
    return new Config(port, databaseUrl, publicUrl, boolVar(env, "TRUST_PROXY", false), limits, mail, signing);
  }

  private static Mail mail(Map<String, String> env) {
    int smtpPort = intVar(env, "SMTP_PORT", 25, 1, 65535);
    boolean startTls = boolVar(env, "SMTP_STARTTLS", false);
    String host = blankToNull(env.get("SMTP_HOST"));
    String user = blankToNull(env.get("SMTP_USER"));
    String password = env.get("SMTP_PASSWORD");
    String from = blankToNull(env.get("MAIL_FROM"));
    if (host != null && from == null) {
      throw new ConfigException("MAIL_FROM", "must be set when SMTP_HOST is, e.g. Convene <noreply@example.org>");
    }
    if (from != null && (!from.contains("@") || from.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
      throw new ConfigException("MAIL_FROM", "must be an address, e.g. Convene <noreply@example.org>");
    }
    if (user != null && (password == null || password.isEmpty())) {
      throw new ConfigException("SMTP_PASSWORD", "must be set when SMTP_USER is");
    }
    return new Mail(host, smtpPort, user, password, startTls, from);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
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
