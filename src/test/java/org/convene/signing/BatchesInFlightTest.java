package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signatures are written in batches, two at once ({@link Batcher#IN_FLIGHT}), so the same address can be in
 * two batches being written at the same time. Whatever the order the requests come in, each address is
 * stored once, gets one confirmation mail, and every signer is answered as a first signer is.
 */
class BatchesInFlightTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;
  static final GreenMail mail = api.mail;

  @Test
  void anAddressInTwoBatchesAtOnceIsStoredAndMailedOnce() throws Exception {
    TestServer.Manifesto m = api.published("In flight", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject()
        .put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
    int people = 60;
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < people; i++) {
      addresses.add("signer" + i + "@example.org");
    }
    // Each address three times: in order, in reverse and shuffled, all sent at once, so that batches
    // written side by side hold the same addresses in every order.
    List<String> sends = new ArrayList<>(addresses);
    List<String> reversed = new ArrayList<>(addresses);
    Collections.reverse(reversed);
    sends.addAll(reversed);
    List<String> shuffled = new ArrayList<>(addresses);
    Collections.shuffle(shuffled, new Random(7));
    sends.addAll(shuffled);

    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (String email : sends) {
      all.add(server.http().post("/api/manifestos/" + m.id() + "/signatures")
          .sendJsonObject(Signatures.signer("Signer", email, "FR", "full")));
    }
    for (Future<HttpResponse<Buffer>> f : all) {
      HttpResponse<Buffer> r = f.await(60, TimeUnit.SECONDS);
      assertEquals(202, r.statusCode(), r.bodyAsString());
      assertEquals(new JsonObject().put("status", "pending"), r.bodyAsJsonObject(), "a repeat is answered as a first");
    }

    String where = "manifesto_id = '" + m.id() + "'";
    assertEquals(Integer.toString(people), api.sqlValue("SELECT count(*) FROM signatures WHERE " + where));
    assertEquals(Integer.toString(people), api.sqlValue("SELECT count(DISTINCT email_key) FROM signatures WHERE " + where));
    // Every message delivered (the outbox empty for this manifesto), then each address has exactly one.
    Wait.until(30, () -> {
      try {
        return "0".equals(api.sqlValue("SELECT count(*) FROM mail_outbox WHERE " + where));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, () -> "the outbox delivered");
    for (String address : addresses) {
      assertEquals(1, api.to(address).size(), "confirmation mails to " + address);
    }
    assertTrue(api.count(m).getLong("confirmed") == 0, "nothing is counted before its confirmation");
  }
}
