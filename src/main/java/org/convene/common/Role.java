package org.convene.common;

import java.util.Locale;

/** Capability roles, each allowing everything the ones below it allow. */
public enum Role {
  VIEWER, EDITOR, ADMIN;

  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
