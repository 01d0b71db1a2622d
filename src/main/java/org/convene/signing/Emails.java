package org.convene.signing;

import java.util.Locale;

/** One signature per person: the address as it identifies a mailbox. */
final class Emails {
  private Emails() {}

  /**
   * Trimmed and lower-cased; for Gmail (gmail.com and googlemail.com, one mailbox) dots and a
   * {@code +tag} in the local part are removed, since Gmail delivers all of them to the same person.
   */
  static String normalise(String email) {
    String e = email.strip().toLowerCase(Locale.ROOT);
    int at = e.lastIndexOf('@');
    if (at <= 0) {
      return e;
    }
    String local = e.substring(0, at);
    String domain = e.substring(at + 1);
    if (domain.equals("gmail.com") || domain.equals("googlemail.com")) {
      int plus = local.indexOf('+');
      if (plus >= 0) {
        local = local.substring(0, plus);
      }
      return local.replace(".", "") + "@gmail.com";
    }
    return local + "@" + domain;
  }

  /** The domain part of a normalised address. */
  static String domain(String emailKey) {
    return emailKey.substring(emailKey.lastIndexOf('@') + 1);
  }
}
