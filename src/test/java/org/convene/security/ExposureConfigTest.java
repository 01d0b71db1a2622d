package org.convene.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.convene.common.Config;
import org.convene.common.ConfigException;
import org.junit.jupiter.api.Test;

/** The origin and timeout settings: defaults, normalisation, and refusals naming the variable. */
class ExposureConfigTest {
  @Test
  void defaultsAreThisMachineAndSafeTimeouts() {
    Config.Exposure e = Config.fromEnv(Map.of()).exposure();
    assertEquals(List.of("http://localhost:8080"), e.allowedOrigins());
    assertTrue(e.loopbackOrigins(), "PUBLIC_URL left at localhost is development");
    assertEquals(60, e.idleSeconds());
    assertEquals(10, e.headerSeconds());
    assertEquals(30, e.requestSeconds());
  }

  @Test
  void originsAreNormalisedAsBrowsersSendThem() {
    Config.Exposure e = Config.fromEnv(Map.of("PUBLIC_URL", "https://Convene.Example.org:443/base",
        "ALLOWED_ORIGINS", "http://a.example:80, https://b.example:8443/ ,,https://convene.example.org",
        "IDLE_TIMEOUT", "120", "HEADER_TIMEOUT", "5", "REQUEST_TIMEOUT", "1")).exposure();
    assertEquals(List.of("https://convene.example.org", "http://a.example", "https://b.example:8443"), e.allowedOrigins());
    assertFalse(e.loopbackOrigins());
    assertEquals(120, e.idleSeconds());
    assertEquals(5, e.headerSeconds());
    assertEquals(1, e.requestSeconds());
  }

  @Test
  void badValuesStopWithTheVariablesName() {
    Map<String, List<String>> bad = Map.of(
        "ALLOWED_ORIGINS", List.of("*", "convene.example.org", "ftp://x.example", "https://x.example/path",
            "https://x.example?q", "https://user@x.example", "https://a.example, nope"),
        "IDLE_TIMEOUT", List.of("0", "-1", "ten", "86401"),
        "HEADER_TIMEOUT", List.of("0", "3601", "1.5"),
        "REQUEST_TIMEOUT", List.of("0", "3601", "x"));
    bad.forEach((name, values) -> values.forEach(value -> {
      ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of(name, value)), name + "=" + value);
      assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    }));
  }
}
