package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text pasted into the editor loses the characters the server refuses (web/src/text.js), so the
 * paste is saved instead of the whole edit being refused and the text reloaded.
 */
class PasteTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @BeforeAll
  static void ready() {
    Chromium.assertReady();
  }

  @Test
  void invisibleControlsInAPasteAreDroppedAndTheRestIsSaved() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Paste", "Bread.");
    try (Chromium b = new Chromium("Paula")) {
      b.driver.get("http://127.0.0.1:" + server.port() + "/m/" + m.id() + "/edit#token=" + m.editor());
      b.joinIfAsked();
      b.until("the editor is live", d -> "saved".equals(b.js("return window.convene && window.convene.state()")));
      b.js("const content = document.querySelector('.cm-content'); content.focus();"
          + "const data = new DataTransfer(); data.setData('text/plain', arguments[0]);"
          + "content.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));",
          "We\u0000 say\u0085 no\uFFFE\u0007 to\u200C fear.\r\n");
      String expected = "We say no to\u200C fear.\nBread.";
      b.until("the paste is in the editor", d -> expected.equals(b.js("return window.convene.text()")));
      Wait.until(() -> {
        try {
          return expected.equals(server.read(m).getString("text"));
        } catch (Exception e) {
          return false;
        }
      });
      assertEquals(1, server.read(m).getInteger("revision"), "one edit, accepted");
    }
  }
}
