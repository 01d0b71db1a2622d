package org.convene.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsServeOneMachine() {
    Config c = Config.fromEnv(Map.of());
    assertEquals(8080, c.port());
    assertEquals(Config.DEFAULT_DATABASE_URL, c.databaseUrl());
    assertEquals("http://localhost:8080", c.publicUrl());
    assertFalse(c.trustProxy());
    assertEquals(Config.Limits.DEFAULTS, c.limits());
    assertEquals("convene", c.pgConnectOptions().getDatabase());
    assertEquals(java.time.Duration.ofMinutes(5), c.idleUnload());
  }

  @Test
  void valuesAreRead() {
    Config c = Config.fromEnv(Map.of("PORT", "9000", "PUBLIC_URL", "https://convene.example.org/",
        "DATABASE_URL", "postgres://u:p@db:6543/other", "TRUST_PROXY", "true", "RATE_LIMIT_FRAMES", "0",
        "MAX_SOCKET_BACKLOG", "65536", "IDLE_UNLOAD_SECONDS", "1"));
    assertEquals(9000, c.port());
    assertEquals("https://convene.example.org", c.publicUrl());
    assertEquals("db", c.pgConnectOptions().getHost());
    assertEquals(6543, c.pgConnectOptions().getPort());
    assertEquals("other", c.pgConnectOptions().getDatabase());
    assertTrue(c.trustProxy());
    assertEquals(0, c.limits().framesPerSecond());
    assertEquals(65536, c.limits().socketBacklogBytes());
    assertEquals(java.time.Duration.ofSeconds(1), c.idleUnload());
  }

  @Test
  void badValuesStopWithTheVariablesName() {
    Map<String, String> bad = Map.of(
        "PORT", "eighty",
        "DATABASE_URL", "mysql://localhost/x",
        "PUBLIC_URL", "ftp://x",
        "TRUST_PROXY", "maybe",
        "CLUSTER", "true",
        "SMTP_PORT", "0",
        "MAX_DOCUMENT_LENGTH", "-5",
        "RATE_LIMIT_FRAMES", "1.5",
        "MAX_SOCKET_BACKLOG", "100",
        "IDLE_UNLOAD_SECONDS", "0");
    bad.forEach((name, value) -> {
      ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of(name, value)), name);
      assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    });
    assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("PORT", "70000")));
    assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("IDLE_UNLOAD_SECONDS", "86401")));
    assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("DATABASE_URL", "postgresql://localhost:5432/")));
  }
}
