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
    Exposure exposure) {

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
    return new Config(port, databaseUrl, publicUrl, boolVar(env, "TRUST_PROXY", false), limits,
        Exposure.fromEnv(env, publicUrl));
  }

  /**
   * What the server lets the outside world do to its connections: which browser origins may use the
   * bridge, and how long a connection may take over a request or sit idle.
   *
   * @param allowedOrigins browser origins (scheme://host[:port]) that may open the bridge: PUBLIC_URL's
   *     own, then ALLOWED_ORIGINS. Requests without an Origin (scripts, other servers) are not affected.
   * @param loopbackOrigins true when PUBLIC_URL names this machine (development): any loopback origin,
   *     whatever its port, may open the bridge too
   * @param idleSeconds a connection with nothing read or written for this long is closed
   * @param headerSeconds a request's line and headers must arrive within this long of the connection
   *     opening, or of the previous response on it
   * @param requestSeconds a request's body must arrive in full within this long of its headers
   */
  public record Exposure(java.util.List<String> allowedOrigins, boolean loopbackOrigins, int idleSeconds,
      int headerSeconds, int requestSeconds) {
    public static final int DEFAULT_IDLE_SECONDS = 60;
    public static final int DEFAULT_HEADER_SECONDS = 10;
    public static final int DEFAULT_REQUEST_SECONDS = 30;

    static Exposure fromEnv(Map<String, String> env, String publicUrl) {
      java.util.List<String> origins = new java.util.ArrayList<>();
      origins.add(origin(URI.create(publicUrl)));
      String raw = env.getOrDefault("ALLOWED_ORIGINS", "");
      for (String each : raw.split(",")) {
        if (!each.isBlank()) {
          String normal = parseOrigin(each.trim());
          if (!origins.contains(normal)) {
            origins.add(normal);
          }
        }
      }
      String host = URI.create(publicUrl).getHost();
      boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
      return new Exposure(java.util.List.copyOf(origins), loopback,
          intVar(env, "IDLE_TIMEOUT", DEFAULT_IDLE_SECONDS, 1, 86_400),
          intVar(env, "HEADER_TIMEOUT", DEFAULT_HEADER_SECONDS, 1, 3_600),
          intVar(env, "REQUEST_TIMEOUT", DEFAULT_REQUEST_SECONDS, 1, 3_600));
    }

    private static String parseOrigin(String raw) {
      try {
        URI uri = new URI(raw);
        boolean bare = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
            && bare && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
          return origin(uri);
        }
      } catch (java.net.URISyntaxException e) {
        // answered below
      }
      throw new ConfigException("ALLOWED_ORIGINS",
          "a comma-separated list of origins such as https://site.example.org (no path), got '" + raw + "'");
    }

    /** An origin as browsers send it: lower-case scheme and host, the port only when not the default. */
    private static String origin(URI uri) {
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
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
