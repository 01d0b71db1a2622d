package org.convene.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.store.Database;
import org.convene.testing.TestServer;

/**
 * The load generator for bench/run.sh: one JVM, separate from the server, talking to it only over
 * HTTP and the event-bus bridge, as clients do. Not a test: it measures and prints, it asserts nothing
 * about time. Usage: {@code Bench <command> [--option value]...}; see bench/README.md.
 */
public final class Bench {
  final Map<String, String> options;
  final Vertx vertx;
  final WebClient http;
  final int port;
  final Probe probe;
  final Path resultsFile;

  private Bench(Map<String, String> options) {
    this.options = options;
    this.port = Integer.parseInt(require(options, "port"));
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(intOption("event-loops", 4))
        .setBlockedThreadCheckInterval(10_000));
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.probe = new Probe(Long.parseLong(options.getOrDefault("server-pid", "0")),
        options.containsKey("gc-log") ? Path.of(options.get("gc-log")) : null, options.get("pg-match"));
    this.resultsFile = options.containsKey("results") ? Path.of(options.get("results")) : null;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      usage();
      return;
    }
    String command = args[0];
    List<String> positional = new ArrayList<>();
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        options.put(args[i].substring(2), i + 1 < args.length ? args[++i] : "");
      } else {
        positional.add(args[i]);
      }
    }
    switch (command) {
      case "db-url" -> System.out.println(TestServer.freshDatabaseUrl());
      case "drop-db" -> Database.drop(PgConnectOptions.fromUri(positional.get(0)));
      case "summarize" -> Results.summarize(Path.of(positional.get(0)));
      case "jfr-top" -> JfrTop.main(positional, options);
      case "catchup-micro" -> System.exit(CatchUpMicro.run(
          new Results(options.containsKey("results") ? Path.of(options.get("results")) : null, "catchup-micro"),
          Integer.parseInt(options.getOrDefault("repeat", "3"))));
      case "apply-micro" -> System.exit(ApplyMicro.run(Path.of(options.getOrDefault("trace", Trace.DEFAULT.toString())),
          new Results(options.containsKey("results") ? Path.of(options.get("results")) : null, "apply-micro"),
          Integer.parseInt(options.getOrDefault("repeat", "3"))));
      case "trace-composed", "trace-acked", "open-cold", "authors", "max-throughput" -> {
        Bench bench = new Bench(options);
        int status = 0;
        try {
          status = bench.run(command, positional);
        } finally {
          bench.http.close();
          bench.vertx.close().await(20, TimeUnit.SECONDS);
        }
        System.exit(status);
      }
      default -> {
        usage();
        System.exit(2);
      }
    }
  }

  private int run(String command, List<String> positional) throws Exception {
    return switch (command) {
      case "trace-composed" -> new TraceBench(this).composed();
      case "trace-acked" -> new TraceBench(this).acked();
      case "open-cold" -> new TraceBench(this).openCold();
      case "authors" -> new AuthorsBench(this).authors(positional.isEmpty()
          ? options.getOrDefault("authors", "50,100,200,500,1000") : String.join(",", positional));
      case "max-throughput" -> new AuthorsBench(this).maxThroughput(intOption("editors", 50));
      default -> throw new IllegalArgumentException(command);
    };
  }

  private static void usage() {
    System.err.println("""
        usage: Bench <command> [--option value]...
          db-url                      print a fresh database URL (nothing is created)
          drop-db URL                 drop that database
          summarize RESULTS.tsv       medians of every figure in a results file
          jfr-top FILE.jfr [--top N] [--match org.convene]   hottest frames of a recording
          catchup-micro [--repeat N]  in-process: cost of bringing an edit up to date, by lag
          apply-micro [--repeat N]    in-process: cost of applying the trace's ops to the text
          trace-composed              replay the trace, one op in flight, the rest composed
          trace-acked                 replay the trace, one op per patch, each acknowledged first
          open-cold --state FILE      open the trace document after a server restart
          authors [N,N,...]           N authors appending 4 characters every 400 ms
          max-throughput [--editors N]  N editors sending as fast as acknowledgements allow
        common options: --port P (required) --server-pid PID --gc-log FILE --results FILE
                        --pg-match TEXT (count the CPU of PostgreSQL processes whose command line has TEXT)""");
  }

  /** Appends a measured window (wall clock) to --windows, so that a profile can be cut to it. */
  void window(String label, long startEpochMs, long endEpochMs) {
    String file = options.get("windows");
    if (file == null) {
      return;
    }
    try {
      java.nio.file.Files.writeString(Path.of(file), label + "\t" + startEpochMs + "\t" + endEpochMs + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  Results results(String scenario) {
    return new Results(resultsFile, scenario);
  }

  int intOption(String name, int fallback) {
    String v = options.get(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v);
  }

  String stringOption(String name, String fallback) {
    String v = options.get(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  double doubleOption(String name, double fallback) {
    String v = options.get(name);
    return v == null || v.isBlank() ? fallback : Double.parseDouble(v);
  }

  static String require(Map<String, String> options, String name) {
    String v = options.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  /** POST /api/manifestos, as any client would. */
  TestServer.Manifesto create(String title, String text) throws Exception {
    HttpResponse<Buffer> r = http.post("/api/manifestos")
        .sendJsonObject(new JsonObject().put("title", title).put("text", text))
        .await(30, TimeUnit.SECONDS);
    if (r.statusCode() != 201) {
      throw new IllegalStateException("create failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    JsonObject body = r.bodyAsJsonObject();
    JsonObject tokens = body.getJsonObject("tokens");
    return new TestServer.Manifesto(body.getString("id"), tokens.getString("admin"), tokens.getString("editor"),
        tokens.getString("viewer"));
  }

  /** GET /api/manifestos/{id}: {revision, text} as the server has it. */
  JsonObject read(String id, String token) throws Exception {
    HttpResponse<Buffer> r = http.get("/api/manifestos/" + id).bearerTokenAuthentication(token).send()
        .await(60, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("read failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  static void log(String format, Object... args) {
    System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(format, args));
  }
}
