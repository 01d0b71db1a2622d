package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The confirmation mail is written once per manifesto context and language and filled in per signer:
 * it must be exactly the mail written out in full, whatever the name or the title holds.
 */
class MessagesTest {
  private static final Messages MESSAGES = new Messages("https://sign.convene.test");

  private static SigningRepository.Context context(String title) {
    return new SigningRepository.Context("m1", title, "en", 3, "ab".repeat(32), Settings.DEFAULTS);
  }

  private static Signer signer(String name) {
    return new Signer(name, "someone@example.org", "someone@example.org", "FR", null, null, Signer.Display.FULL, "en",
        false, false);
  }

  /** What the outbox keeps is written, when it is sent, into the mail the signer would have had at once. */
  @Test
  void aDraftIsWrittenIntoTheSameMail() {
    List<String> names = List.of("Amal Haddad", "<b>Bold</b> & \"quoted\" 'name'", "أمل حداد", "名字", "Marks \uE010 \uE011 in a name",
        "{\"kind\": \"already\"}");
    for (String lang : List.of("en", "ar", "fa", "zh", "xx")) {
      for (String title : List.of("Charter <of> the Commons & Rivers", "ميثاق المشاعات", "Title with \uE011 a mark")) {
        for (String name : names) {
          SigningRepository.Context ctx = context(title);
          SigningRepository.Queued queued = MESSAGES.confirmationDraft(ctx, signer(name), 7, "confirmTok_-1", "withdrawTok_-2", lang);
          Messages.Written now = MESSAGES.confirmation(ctx, signer(name), 7, "confirmTok_-1", "withdrawTok_-2", lang);
          SigningRepository.Mail sent = MESSAGES.write(queued.messageId(), queued.recipient(), queued.draft());
          assertEquals(List.of(queued.messageId(), "someone@example.org", now.subject(), now.text(), now.html()),
              List.of(sent.messageId(), sent.recipient(), sent.subject(), sent.text(), sent.html()), lang + " " + name);
          SigningRepository.Queued again = MESSAGES.alreadySignedDraft(ctx, signer(name), "withdrawTok_-3", lang);
          Messages.Written already = MESSAGES.alreadySigned(ctx, signer(name), "withdrawTok_-3", lang);
          SigningRepository.Mail alreadySent = MESSAGES.write(again.messageId(), again.recipient(), again.draft());
          assertEquals(List.of(already.subject(), already.text(), already.html()),
              List.of(alreadySent.subject(), alreadySent.text(), alreadySent.html()), lang + " " + name);
        }
      }
    }
    for (String broken : List.of("", "not json", "{}", "{\"kind\": \"other\"}", "[1]")) {
      assertThrows(IllegalArgumentException.class, () -> MESSAGES.write("<id@x>", "a@example.org", broken), broken);
    }
  }

  @Test
  void aFilledInMailIsTheMailWrittenOutInFull() {
    List<String> names = List.of("Amal Haddad", "<b>Bold</b> & \"quoted\" 'name'", "أمل حداد", "名字",
        "Marks \uE010 \uE011 \uE012 in a name", "\uE000" + "0\uE001 a paragraph mark");
    List<String> titles = List.of("Charter <of> the Commons & Rivers", "ميثاق المشاعات", "Title with \uE011 a mark");
    for (String lang : List.of("en", "ar", "fr", "zh", "xx")) {
      for (String title : titles) {
        for (String name : names) {
          SigningRepository.Context ctx = context(title);
          for (int twice = 0; twice < 2; twice++) { // the second time from the template in memory
            Messages.Written filled = MESSAGES.confirmation(ctx, signer(name), 7, "confirmTok_-1", "withdrawTok_-2", lang);
            Messages.Written full = MESSAGES.confirmationInFull(ctx, signer(name), 7, "confirmTok_-1", "withdrawTok_-2",
                lang);
            assertEquals(full.subject(), filled.subject(), lang + " " + name);
            assertEquals(full.text(), filled.text(), lang + " " + name);
            assertEquals(full.html(), filled.html(), lang + " " + name);
          }
        }
      }
    }
    Messages.Written one = MESSAGES.confirmation(context("T"), signer("Amal"), 7, "tokA", "tokB", "en");
    SigningRepository.Queued queued = MESSAGES.confirmationDraft(context("T"), signer("Amal"), 7, "tokA", "tokB", "en");
    assertNotEquals(queued.messageId(), MESSAGES.confirmationDraft(context("T"), signer("Amal"), 7, "tokA", "tokB", "en")
        .messageId(), "each mail its own Message-ID");
    assertTrue(queued.draft().length() * 4 < one.text().length() + one.html().length(), "the outbox keeps a draft, not the mail: "
        + queued.draft().length() + " characters against " + (one.text().length() + one.html().length()));
    assertTrue(one.text().contains("/api/signatures/confirm?token=tokA"), one.text());
    assertTrue(one.html().contains("/api/signatures/withdraw?token=tokB"), one.html());
    assertTrue(one.html().contains("<bdi>Amal</bdi>"), one.html());
  }
}
