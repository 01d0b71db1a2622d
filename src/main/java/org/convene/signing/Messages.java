package org.convene.signing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.convene.common.I18n;

/**
 * The mails signing sends, as plain text and HTML, in the interface language the signer signed in
 * (the {@code mail.} keys of the catalogs). Everything that comes from people (the title, the
 * signer's name) is HTML-escaped in the HTML part and isolated from the sentence around it, so a
 * Latin title keeps its order inside an Arabic sentence and the other way round.
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

  /**
   * What the outbox keeps of a confirmation mail: its Message-ID, recipient, and a draft of a few
   * hundred bytes (the language, the signer's name, the manifesto's title, version and SHA-256, the
   * link's days and the two tokens), from which {@link #write} writes the mail when it is sent. The
   * mail itself is several kilobytes of text and HTML: written, encoded and stored for every
   * signature in a burst, it cost the batch a fifth of its time on the server and more in the database.
   */
  SigningRepository.Queued confirmationDraft(SigningRepository.Context m, Signer s, int days, String confirmToken,
      String withdrawToken, String lang) {
    JsonObject draft = new JsonObject().put("kind", "confirm").put("lang", lang).put("name", s.name())
        .put("title", m.title()).put("version", m.version()).put("sha256", m.sha256()).put("days", days)
        .put("confirm", confirmToken).put("withdraw", withdrawToken);
    return new SigningRepository.Queued(messageId(), s.email(), draft.encode());
  }

  /** What the outbox keeps of the mail to someone who signed already: a draft, as {@link #confirmationDraft}. */
  SigningRepository.Queued alreadySignedDraft(SigningRepository.Context m, Signer s, String withdrawToken, String lang) {
    JsonObject draft = new JsonObject().put("kind", "already").put("lang", lang).put("title", m.title())
        .put("withdraw", withdrawToken);
    return new SigningRepository.Queued(messageId(), s.email(), draft.encode());
  }

  /**
   * The mail a draft stands for, with the Message-ID and recipient it was queued with: the same mail
   * whenever it is written (so a resend after a crash is the same message).
   *
   * @throws IllegalArgumentException when the draft is not one this server writes
   */
  SigningRepository.Mail write(String messageId, String recipient, String draft) {
    JsonObject d;
    try {
      d = new JsonObject(draft);
    } catch (io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException("not a mail's draft: " + e.getMessage(), e);
    }
    SigningRepository.Context m = new SigningRepository.Context(null, d.getString("title"), null, d.getInteger("version"),
        d.getString("sha256"), null);
    Signer s = new Signer(d.getString("name"), recipient, null, null, null, null, null, null, false, false);
    Written mail = switch (String.valueOf(d.getString("kind"))) {
      case "confirm" -> confirmation(m, s, d.getInteger("days"), d.getString("confirm"), d.getString("withdraw"),
          d.getString("lang"));
      case "already" -> alreadySigned(m, s, d.getString("withdraw"), d.getString("lang"));
      default -> throw new IllegalArgumentException("not a mail's draft: kind " + d.getString("kind"));
    };
    return new SigningRepository.Mail(messageId, recipient, mail.subject(), mail.text(), mail.html());
  }

  /** A mail's words, before it is addressed: the Message-ID and recipient come from the outbox's row. */
  record Written(String subject, String text, String html) {}

  Written confirmation(SigningRepository.Context m, Signer s, int days, String confirmToken,
      String withdrawToken, String lang) {
    Template t = templates.get(new TemplateKey(m, lang, days));
    if (t == null) {
      t = template(m, days, lang);
      if (templates.size() > TEMPLATES) {
        templates.clear();
      }
      templates.put(new TemplateKey(m, lang, days), t);
    }
    if (t.subject() == null) { // a title holding one of the marks: written out in full
      return confirmationInFull(m, s, days, confirmToken, withdrawToken, lang);
    }
    String[] text = {s.name(), confirmToken, withdrawToken};
    String[] html = {Html.escape(s.name()), confirmToken, withdrawToken};
    return new Written(t.subject(), t.text().with(text), t.html().with(html));
  }

  /**
   * The confirmation mail of one manifesto context in one language, written once with marks where the
   * signer's name and the two link tokens go; the template is cut at the marks once, so whatever a name
   * holds is never read as a mark. (A token is URL-safe Base64: nothing in it to escape.)
   */
  private record Template(String subject, Filled text, Filled html) {}

  /** A template cut at its marks: literal parts, and between each two the index of the value that goes there. */
  private record Filled(String[] parts, int[] slots, int length) {
    static Filled of(String template) {
      List<String> parts = new ArrayList<>();
      List<Integer> slots = new ArrayList<>();
      int from = 0;
      for (int i = 0; i < template.length(); i++) {
        char c = template.charAt(i);
        if (c >= NAME && c <= WITHDRAW) {
          parts.add(template.substring(from, i));
          slots.add(c - NAME);
          from = i + 1;
        }
      }
      parts.add(template.substring(from));
      return new Filled(parts.toArray(String[]::new), slots.stream().mapToInt(Integer::intValue).toArray(),
          template.length());
    }

    String with(String[] values) {
      StringBuilder out = new StringBuilder(length + 160);
      out.append(parts[0]);
      for (int i = 0; i < slots.length; i++) {
        out.append(values[slots[i]]).append(parts[i + 1]);
      }
      return out.toString();
    }
  }

  private record TemplateKey(SigningRepository.Context context, String lang, int days) {}

  private static final char NAME = '\uE010';
  private static final char CONFIRM = '\uE011';
  private static final char WITHDRAW = '\uE012';
  private static final int TEMPLATES = 1_000;
  private final java.util.Map<TemplateKey, Template> templates = new java.util.concurrent.ConcurrentHashMap<>();

  private Template template(SigningRepository.Context m, int days, String lang) {
    String title = m.title() == null ? "" : m.title();
    if (title.indexOf(NAME) >= 0 || title.indexOf(CONFIRM) >= 0 || title.indexOf(WITHDRAW) >= 0) {
      return new Template(null, null, null);
    }
    Signer marks = new Signer(String.valueOf(NAME), null, null, null, null, null, null, null, false, false);
    Written mail = confirmationInFull(m, marks, days, String.valueOf(CONFIRM), String.valueOf(WITHDRAW),
        lang);
    return new Template(mail.subject(), Filled.of(mail.text()), Filled.of(mail.html()));
  }

  /** The confirmation mail written out from the catalog (what {@link #confirmation} gives, in full). */
  Written confirmationInFull(SigningRepository.Context m, Signer s, int days, String confirmToken,
      String withdrawToken, String lang) {
    Mail mail = new Mail(lang);
    String subject = oneLine(I18n.format(mail.lang, "mail.confirm.subject", "title", m.title()));
    mail.paragraph("mail.confirm.hello", "name", s.name());
    mail.paragraph("mail.confirm.signed", "title", m.title(), "version", m.version(), "sha", m.sha256());
    mail.paragraph("mail.confirm.follow", "days", days);
    mail.link("mail.confirm.button", confirmUrl(confirmToken));
    mail.paragraph("mail.withdraw.text");
    mail.link("mail.withdraw.button", withdrawUrl(withdrawToken));
    mail.paragraph("mail.confirm.ignore");
    return new Written(subject, mail.text(), mail.html(subject));
  }

  Written alreadySigned(SigningRepository.Context m, Signer s, String withdrawToken, String lang) {
    Mail mail = new Mail(lang);
    String subject = oneLine(I18n.format(mail.lang, "mail.already.subject", "title", m.title()));
    mail.paragraph("mail.already.hello");
    mail.paragraph("mail.already.body", "title", m.title());
    mail.paragraph("mail.withdraw.text");
    mail.link("mail.withdraw.button", withdrawUrl(withdrawToken));
    return new Written(subject, mail.text(), mail.html(subject));
  }

  /** One mail being written: its paragraphs as plain text and as HTML. */
  private static final class Mail {
    private static final char FSI = '\u2068';
    private static final char PDI = '\u2069';
    private final String lang;
    private final List<String> text = new ArrayList<>();
    private final StringBuilder html = new StringBuilder(2048);

    Mail(String lang) {
      this.lang = I18n.supported(lang) ? lang : I18n.REFERENCE;
    }

    /**
     * A sentence from the catalog. Text arguments are marked before formatting, so that in the HTML
     * the sentence is escaped and each argument put back escaped inside {@code <bdi>}; in the plain
     * text they are isolated with FSI...PDI.
     */
    void paragraph(String key, Object... args) {
      Object[] marked = args.clone();
      List<String> values = new ArrayList<>();
      for (int i = 1; i < marked.length; i += 2) {
        if (marked[i] instanceof String v) {
          marked[i] = "\uE000" + values.size() + "\uE001";
          values.add(v);
        }
      }
      String formatted = I18n.format(lang, key, marked);
      String plain = formatted;
      String escaped = Html.escape(formatted);
      for (int i = 0; i < values.size(); i++) {
        String mark = "\uE000" + i + "\uE001";
        plain = plain.replace(mark, FSI + values.get(i) + PDI);
        escaped = escaped.replace(mark, "<bdi>" + Html.escape(values.get(i)) + "</bdi>");
      }
      text.add(plain);
      html.append("<p>").append(escaped).append("</p>");
    }

    /** A link: its words and the address on its own line in the text, a link in the HTML. */
    void link(String key, String url) {
      String words = I18n.format(lang, key);
      text.add(words + ":\n" + url);
      html.append("<p><a href=\"").append(Html.escape(url)).append("\">").append(Html.escape(words))
          .append("</a></p>");
    }

    String text() {
      return String.join("\n\n", text) + "\n";
    }

    String html(String subject) {
      return "<!DOCTYPE html><html lang=\"" + Html.escape(lang) + "\" dir=\"" + I18n.direction(lang) + "\"><head>"
          + "<meta charset=\"utf-8\"><title>" + Html.escape(subject) + "</title></head><body>" + html + "</body></html>";
    }
  }

  /** A subject stays on one line whatever the title holds. */
  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n\\t]+", " ");
  }
}
