package org.convene.signing;

import java.net.URI;
import java.util.UUID;

/**
 * The mails signing sends, as plain text and HTML. Everything that comes from people (the title, the
 * signer's name) is HTML-escaped in the HTML part. English for now: the interface has no other language.
 */
final class Messages {
  private final String publicUrl;
  private final String host;

  Messages(String publicUrl) {
    this.publicUrl = publicUrl;
    this.host = URI.create(publicUrl).getHost();
  }

  String confirmUrl(String token) {
    return publicUrl + "/api/signatures/confirm?token=" + token;
  }

  String withdrawUrl(String token) {
    return publicUrl + "/api/signatures/withdraw?token=" + token;
  }

  /** A fresh Message-ID, fixed when the mail is queued so that a resend is the same message. */
  String messageId() {
    return "<" + UUID.randomUUID() + "@" + host + ">";
  }

  SigningRepository.Mail confirmation(SigningRepository.Context m, Signer s, int days, String confirmToken,
      String withdrawToken) {
    String confirm = confirmUrl(confirmToken);
    String withdraw = withdrawUrl(withdrawToken);
    String subject = "Confirm your signature: " + oneLine(m.title());
    String text = "Hello " + s.name() + ",\n\n"
        + "You signed \"" + m.title() + "\" (version " + m.version() + ", SHA-256 " + m.sha256() + ").\n\n"
        + "Your signature counts once you confirm it by following this link (valid for " + days + " days):\n"
        + confirm + "\n\n"
        + "You can withdraw your signature at any time with this link:\n" + withdraw + "\n\n"
        + "If you did not sign, ignore this message: nothing is counted without confirmation.\n";
    String html = page(subject,
        "<p>Hello " + Html.escape(s.name()) + ",</p>"
        + "<p>You signed <strong>" + Html.escape(m.title()) + "</strong> (version " + m.version()
        + ", SHA-256 <code>" + m.sha256() + "</code>).</p>"
        + "<p>Your signature counts once you confirm it (the link is valid for " + days + " days):</p>"
        + "<p><a href=\"" + Html.escape(confirm) + "\">Confirm my signature</a></p>"
        + "<p>You can withdraw your signature at any time: <a href=\"" + Html.escape(withdraw) + "\">withdraw</a>.</p>"
        + "<p>If you did not sign, ignore this message: nothing is counted without confirmation.</p>");
    return new SigningRepository.Mail(messageId(), s.email(), subject, text, html);
  }

  SigningRepository.Mail alreadySigned(SigningRepository.Context m, Signer s, String withdrawToken) {
    String withdraw = withdrawUrl(withdrawToken);
    String subject = "You have already signed: " + oneLine(m.title());
    String text = "Hello,\n\n"
        + "This address has already signed \"" + m.title() + "\"; your signature counts, nothing else is needed.\n\n"
        + "You can withdraw your signature at any time with this link:\n" + withdraw + "\n";
    String html = page(subject,
        "<p>Hello,</p><p>This address has already signed <strong>" + Html.escape(m.title())
        + "</strong>; your signature counts, nothing else is needed.</p>"
        + "<p>You can withdraw your signature at any time: <a href=\"" + Html.escape(withdraw) + "\">withdraw</a>.</p>");
    return new SigningRepository.Mail(messageId(), s.email(), subject, text, html);
  }

  private static String page(String title, String body) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.escape(title) + "</title></head><body>"
        + body + "</body></html>";
  }

  /** A subject stays on one line whatever the title holds. */
  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n\\t]+", " ");
  }
}
