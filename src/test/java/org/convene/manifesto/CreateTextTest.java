package org.convene.manifesto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.convene.versions.SyntheticHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /api/manifestos refuses text that common.Text refuses: 400 naming the field, nothing stored. */
class CreateTextTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  HttpResponse<Buffer> post(JsonObject body) throws Exception {
    return server.http().post("/api/manifestos").sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  static long manifestos() throws Exception {
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM manifestos) + (SELECT count(*) FROM snapshots)")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void refusedCharactersInTextOrTitleAre400WithFields() throws Exception {
    long before = manifestos();
    String[] refused = {"x\u0000y", "\u0007", "\u007F", "\u0080", "\uFFFE", "\uFDD0", "\uDBFF\uDFFF"};
    for (String s : refused) {
      String what = s.codePoints().mapToObj(Integer::toHexString).toList().toString();
      HttpResponse<Buffer> text = post(new JsonObject().put("title", "Fine").put("text", "We " + s + " say"));
      assertEquals(400, text.statusCode(), what + " " + text.bodyAsString());
      assertEquals("invalid_input", text.bodyAsJsonObject().getString("error"));
      assertEquals(java.util.Set.of("text"), text.bodyAsJsonObject().getJsonObject("fields").fieldNames(), what);
      HttpResponse<Buffer> title = post(new JsonObject().put("title", "Ti" + s + "tle").put("text", "Fine"));
      assertEquals(400, title.statusCode(), what + " " + title.bodyAsString());
      assertEquals(java.util.Set.of("title"), title.bodyAsJsonObject().getJsonObject("fields").fieldNames(), what);
    }
    HttpResponse<Buffer> lineBreak = post(new JsonObject().put("title", "Two\nlines"));
    assertEquals(400, lineBreak.statusCode(), "a title is one line");
    assertEquals(before, manifestos(), "nothing was stored");

    HttpResponse<Buffer> ok = post(new JsonObject().put("title", "Tabs\u200C and all").put("text", "a\tb\r\nc\u202Ed 😀"));
    assertEquals(201, ok.statusCode(), ok.bodyAsString());
    assertTrue(manifestos() > before);
  }
}
