package org.convene.common;

import java.util.Map;

/** A language's own catalog, without English filled in, for the tests in other packages. */
public final class I18nAccess {
  private I18nAccess() {}

  public static Map<String, String> read(String tag) {
    return I18n.read(tag);
  }
}
