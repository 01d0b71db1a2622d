package org.convene.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mail and signing settings: defaults, values, and a message naming the variable when wrong. */
class SigningConfigTest {
  @Test
  void defaultsMeanNoMailAndSevenAndThirtyDays() {
    Config c = Config.fromEnv(Map.of());
    assertFalse(c.mail().configured());
    assertEquals(new Config.Signing(7, 30), c.signing());
  }

  @Test
  void valuesAreRead() {
    Config c = Config.fromEnv(Map.of("SMTP_HOST", "mail.example.org", "SMTP_PORT", "587", "SMTP_STARTTLS", "true",
        "SMTP_USER", "convene", "SMTP_PASSWORD", "s3cret", "MAIL_FROM", "Convene <noreply@example.org>",
        "SIGNING_CONFIRM_DAYS", "14", "SIGNING_IP_RETENTION_DAYS", "10"));
    assertTrue(c.mail().configured());
    assertEquals(new Config.Mail("mail.example.org", 587, "convene", "s3cret", true, "Convene <noreply@example.org>"), c.mail());
    assertFalse(c.mail().toString().contains("s3cret"), "the password is never printed");
    assertEquals(new Config.Signing(14, 10), c.signing());
  }

  @Test
  void badValuesNameTheVariable() {
    Map<String, Map<String, String>> bad = Map.of(
        "MAIL_FROM", Map.of("SMTP_HOST", "mail.example.org"),
        "SMTP_PASSWORD", Map.of("SMTP_HOST", "h", "MAIL_FROM", "a@b.org", "SMTP_USER", "u"),
        "SIGNING_CONFIRM_DAYS", Map.of("SIGNING_CONFIRM_DAYS", "0"),
        "SIGNING_IP_RETENTION_DAYS", Map.of("SIGNING_IP_RETENTION_DAYS", "many"),
        "SMTP_PORT", Map.of("SMTP_PORT", "70000"));
    bad.forEach((name, env) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(env), name);
      assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
    });
  }
}
