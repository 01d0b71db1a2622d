package org.convene.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every bridge log line about a connection carries its short id ({@code conn=c1f ...}), as HTTP lines
 * carry {@code req=}: its opening and closing, its refusals, and the collab verticle's line about its
 * participants leaving, so an operator can follow one connection through the log. No token or address.
 */
class ConnectionLogTest {
  private static final Pattern ID = Pattern.compile("conn=(c[0-9a-z]+) ");

  @RegisterExtension
  static final TestServer server = TestServer.perClass(java.util.Map.of("RATE_LIMIT_FRAMES", "1"));

  @Test
  void eachConnectionsLinesCarryItsOwnShortId() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Logged", "Text.");
    try (LogCapture log = LogCapture.install(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("org.convene.collab"),
        "org.convene.collab")) {
      BridgeClient first = server.connect().await(20, TimeUnit.SECONDS);
      first.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Amal"), m.editor())
          .await(20, TimeUnit.SECONDS);
      // Over its rate (1 frame a second, bursts of 2): a refusal, logged with the connection's id.
      for (int i = 0; i < 4; i++) {
        first.send("manifesto.presence", new JsonObject().put("doc", m.id()), m.editor());
      }
      Wait.until(30, () -> lines(log).stream().anyMatch(l -> l.contains("frame rate")), () -> "the refusal is logged");
      BridgeClient second = server.connect().await(20, TimeUnit.SECONDS);
      Wait.until(30, () -> lines(log).stream().filter(l -> l.contains("opened")).count() == 2, () -> "two openings");
      first.close().await(10, TimeUnit.SECONDS);
      second.close().await(10, TimeUnit.SECONDS);
      Wait.until(30, () -> lines(log).stream().filter(l -> l.contains("closed after")).count() == 2, () -> "two closings");
      Wait.until(30, () -> lines(log).stream().anyMatch(l -> l.contains("participant(s) left")), () -> "the collab side");

      List<String> lines = lines(log);
      List<String> opened = lines.stream().filter(l -> l.contains("opened")).toList();
      String a = id(opened.get(0));
      String b = id(opened.get(1));
      assertNotEquals(a, b, "each connection has its own id");
      assertTrue(a.length() <= 8 && b.length() <= 8, "short: " + a + ", " + b);
      assertTrue(opened.get(0).contains("(websocket)"), opened.get(0));
      Set<String> aboutFirst = lines.stream().filter(l -> l.contains("conn=" + a + " ")).collect(Collectors.toSet());
      assertTrue(aboutFirst.stream().anyMatch(l -> l.contains("frame rate")), "the refusal: " + aboutFirst);
      assertTrue(aboutFirst.stream().anyMatch(l -> l.contains("closed after")), "the closing: " + aboutFirst);
      assertTrue(aboutFirst.stream().anyMatch(l -> l.contains("1 participant(s) left")), "the collab verticle's line: " + aboutFirst);
      assertTrue(lines.stream().anyMatch(l -> l.contains("conn=" + b + " closed after")), "the second's closing");
      for (LogRecord r : log.records) {
        if (r.getLoggerName().endsWith("BridgeGate")) {
          assertTrue(ID.matcher(r.getMessage()).find(), "a bridge line without its connection's id: " + r.getMessage());
        }
        assertFalse(r.getMessage().contains(m.editor()) || r.getMessage().contains("127.0.0.1"), "no token or address: " + r.getMessage());
      }
    }
  }

  private static List<String> lines(LogCapture log) {
    return log.records.stream().map(LogRecord::getMessage).toList();
  }

  private static String id(String line) {
    Matcher matcher = ID.matcher(line);
    assertTrue(matcher.find(), line);
    return matcher.group(1);
  }
}
