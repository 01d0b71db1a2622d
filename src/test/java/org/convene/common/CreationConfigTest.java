package org.convene.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings of creating manifestos: safe by default, each checked with the variable named. */
class CreationConfigTest {
  @Test
  void defaultsLimitAnonymousCreation() {
    Config.Creation c = Config.fromEnv(Map.of()).creation();
    assertEquals(30, c.perHour());
    assertEquals(10, c.burst());
    assertEquals(200_000, c.maxInitialText());
    assertNull(c.token());
    assertEquals(5_000, Config.fromEnv(Map.of("MAX_DOCUMENT_LENGTH", "5000")).creation().maxInitialText(),
        "never more than a document may hold");
  }

  @Test
  void valuesAreReadAndTheTokenIsNeverPrinted() {
    Config c = Config.fromEnv(Map.of("CREATE_RATE_PER_HOUR", "0", "CREATE_BURST", "50", "MAX_INITIAL_TEXT", "1000",
        "CREATE_TOKEN", "Zq8-long-enough-secret"));
    assertEquals(new Config.Creation(0, 50, 1000, "Zq8-long-enough-secret"), c.creation());
    assertFalse(c.toString().contains("Zq8-long-enough-secret"), c.toString());
    assertNull(Config.fromEnv(Map.of("CREATE_TOKEN", "  ")).creation().token(), "blank means unset");
  }

  @Test
  void badValuesStopWithTheVariablesName() {
    Map<String, String> bad = Map.of(
        "CREATE_RATE_PER_HOUR", "-1",
        "CREATE_BURST", "0",
        "MAX_INITIAL_TEXT", "1000001",
        "CREATE_TOKEN", "short");
    bad.forEach((name, value) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of(name, value)), name);
      assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    });
    assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("CREATE_TOKEN", "has a space in it somewhere")));
    assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("MAX_DOCUMENT_LENGTH", "5000", "MAX_INITIAL_TEXT", "5001")));
  }

  @Test
  void addressesAreCountedAsClients() {
    assertEquals("203.0.113.5", ClientAddress.key("203.0.113.5"));
    assertEquals("2001:db8:1:2::/64", ClientAddress.key("2001:db8:1:2:abcd::1"));
    assertEquals("2001:db8:1:2::/64", ClientAddress.key("[2001:0db8:0001:0002::ffff]"));
    assertEquals("x".repeat(64), ClientAddress.key("x".repeat(5000)));
  }
}
