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
    MetricsSettings metrics,
    LogFormat logFormat,
    Creation creation,
    // Live documents
    Duration idleUnload,
    Duration warmUp,
    Mail mail,
    Signing signing,
    Exposure exposure) {

  /** LOG_FORMAT: one line per event, as text or as a JSON object. */
  public enum LogFormat { TEXT, JSON }

  public static final String DEFAULT_DATABASE_URL = "postgresql://postgres@localhost:5432/convene";
  /** How long a document stays loaded with nobody connected and nothing edited (IDLE_UNLOAD_SECONDS). */
  public static final Duration DEFAULT_IDLE_UNLOAD = Duration.ofMinutes(5);
  /** The longest start-up spends warming the edit path before listening (WARMUP_SECONDS; 0 = none). */
  public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(5);

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
   * Prometheus text at /metrics (configuration.md: METRICS, METRICS_TOKEN).
   *
   * @param token when present, /metrics needs {@code Authorization: Bearer <token>}; when absent it
   *     answers clients on the loopback interface only (and never through a proxy)
   */
  public record MetricsSettings(boolean enabled, java.util.Optional<String> token) {
    public static final MetricsSettings OFF = new MetricsSettings(false, java.util.Optional.empty());

    static MetricsSettings fromEnv(Map<String, String> env) {
      boolean enabled = boolVar(env, "METRICS", false);
      String raw = env.get("METRICS_TOKEN");
      if (raw == null || raw.isEmpty()) {
        return new MetricsSettings(enabled, java.util.Optional.empty());
      }
      if (raw.length() < 16 || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new ConfigException("METRICS_TOKEN",
            "must be at least 16 printable ASCII characters without spaces (e.g. openssl rand -hex 24)");
      }
      return new MetricsSettings(enabled, java.util.Optional.of(raw));
    }

    @Override
    public String toString() {
      return "MetricsSettings[enabled=" + enabled + ", token=" + (token.isPresent() ? "set" : "unset") + "]";
    }
  }

  /**
   * Outgoing mail (SMTP_*, MAIL_FROM); {@code host} null when SMTP_HOST is unset: then nothing is sent
   * and the links are logged instead.
   */
  public record Mail(String host, int port, String user, String password, boolean startTls, String from) {
    public boolean configured() {
      return host != null;
    }

    /**
     * The SMTP client's settings for this server: host, port, STARTTLS and login as configured, and
     * the public host name for HELO. Pooling and keep-alive are each sender's to choose.
     */
    public io.vertx.ext.mail.MailConfig clientConfig(String publicUrl) {
      io.vertx.ext.mail.MailConfig m = new io.vertx.ext.mail.MailConfig().setHostname(host).setPort(port)
          .setStarttls(startTls ? io.vertx.ext.mail.StartTLSOptions.REQUIRED : io.vertx.ext.mail.StartTLSOptions.DISABLED)
          .setOwnHostname(java.net.URI.create(publicUrl).getHost());
      if (user != null) {
        m.setLogin(io.vertx.ext.mail.LoginOption.REQUIRED).setUsername(user).setPassword(password);
      } else {
        m.setLogin(io.vertx.ext.mail.LoginOption.DISABLED);
      }
      return m;
    }

    @Override
    public String toString() { // never print the password
      return "Mail[host=" + host + ", port=" + port + ", user=" + user + ", startTls=" + startTls + ", from=" + from + "]";
    }
  }

  /**
   * Who may create manifestos, and how much: {@code POST /api/manifestos} is open to anyone unless
   * {@code token} is set.
   *
   * @param perHour creations one client address may start per hour on average; 0 = no limit
   * @param burst creations one client address may start at once
   * @param maxInitialText UTF-16 units of initial text (never more than MAX_DOCUMENT_LENGTH)
   * @param token when not null, creating needs {@code Authorization: Bearer <token>}
   */
  public record Creation(int perHour, int burst, int maxInitialText, String token) {
    public static final Creation DEFAULTS = new Creation(30, 10, 200_000, null);

    @Override
    public String toString() {
      return "Creation[perHour=" + perHour + ", burst=" + burst + ", maxInitialText=" + maxInitialText
          + ", token=" + (token == null ? "unset" : "set") + "]";
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
    Mail mail = mail(env);
    Signing signing = new Signing(
        intVar(env, "SIGNING_CONFIRM_DAYS", Signing.DEFAULTS.confirmDays(), 1, 365),
        intVar(env, "SIGNING_IP_RETENTION_DAYS", Signing.DEFAULTS.ipRetentionDays(), 1, 3650));
    Limits limits = new Limits(
        intVar(env, "MAX_DOCUMENT_LENGTH", Limits.DEFAULTS.maxDocumentLength(), 1_000, 50_000_000),
        intVar(env, "MAX_OPERATION_LENGTH", Limits.DEFAULTS.maxOperationLength(), 100, MAX_OPERATION_LENGTH_CEILING),
        intVar(env, "RATE_LIMIT_FRAMES", Limits.DEFAULTS.framesPerSecond(), 0, 1_000_000),
        intVar(env, "MAX_SOCKET_BACKLOG", Limits.DEFAULTS.socketBacklogBytes(), 16 << 10, 1 << 30));
    // Live documents: a short idle time frees memory sooner and costs a reload (one snapshot plus the
    // operations after it) when someone comes back.
    Duration idleUnload = Duration.ofSeconds(
        intVar(env, "IDLE_UNLOAD_SECONDS", (int) DEFAULT_IDLE_UNLOAD.toSeconds(), 1, 86_400));
    // Warm-up: a few seconds more before /health answers, against a second or more of slow
    // acknowledgements for the first authors after a (re)start (docs/BENCHMARKS.md).
    Duration warmUp = Duration.ofSeconds(intVar(env, "WARMUP_SECONDS", (int) DEFAULT_WARM_UP.toSeconds(), 0, 60));
    return new Config(port, databaseUrl, publicUrl, boolVar(env, "TRUST_PROXY", false), limits,
        MetricsSettings.fromEnv(env), logFormat(env), creation(env, limits), idleUnload, warmUp,
        mail, signing, Exposure.fromEnv(env, publicUrl));
  }

  private static LogFormat logFormat(Map<String, String> env) {
    String raw = env.getOrDefault("LOG_FORMAT", "text").trim().toLowerCase(Locale.ROOT);
    return switch (raw) {
      case "text", "" -> LogFormat.TEXT;
      case "json" -> LogFormat.JSON;
      default -> throw new ConfigException("LOG_FORMAT", "must be text or json, got '" + env.get("LOG_FORMAT") + "'");
    };
  }

  private static Creation creation(Map<String, String> env, Limits limits) {
    Creation d = Creation.DEFAULTS;
    int maxInitialText = intVar(env, "MAX_INITIAL_TEXT", Math.min(d.maxInitialText(), limits.maxDocumentLength()),
        0, limits.maxDocumentLength());
    String token = env.get("CREATE_TOKEN");
    if (token != null && token.isBlank()) {
      token = null;
    }
    if (token != null && (token.length() < 16 || token.length() > 200 || !token.matches("[\\x21-\\x7E]+"))) {
      throw new ConfigException("CREATE_TOKEN", "must be 16 to 200 printable ASCII characters without spaces"
          + " (e.g. the output of: openssl rand -base64 24)");
    }
    return new Creation(intVar(env, "CREATE_RATE_PER_HOUR", d.perHour(), 0, 1_000_000),
        intVar(env, "CREATE_BURST", d.burst(), 1, 10_000), maxInitialText, token);
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
