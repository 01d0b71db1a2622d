package org.convene.collab;

import java.util.regex.Pattern;

/** Event-bus addresses of live editing: the public ones of the protocol and the server's own. */
public final class Addresses {
  private Addresses() {}

  public static final String OPEN = "manifesto.open";
  public static final String EDIT = "manifesto.edit";
  public static final String HISTORY = "manifesto.history";
  public static final String PRESENCE = "manifesto.presence";
  public static final String DOC_PREFIX = "manifesto.doc.";
  public static final String PRESENCE_PREFIX = "manifesto.presence.";

  /** Server-internal: never bridged. */
  public static final String CONNECTION_CLOSED = "collab.internal.closed";
  public static final String READ = "collab.internal.read";
  /** {doc, text, author} → {revision}: the server edits a document to the given text (e.g. a restore). */
  public static final String REPLACE = "collab.internal.replace";

  /**
   * A document id: a manifesto id, optionally followed by ':' and a language tag for its translations.
   * The part before ':' names the manifesto whose tokens grant access.
   */
  public static final String DOC_ID_REGEX = "[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9-]{2,35})?";
  public static final Pattern DOC_ID = Pattern.compile(DOC_ID_REGEX);

  public static final String DOC_REGEX = Pattern.quote(DOC_PREFIX) + DOC_ID_REGEX;
  public static final String PRESENCE_REGEX = Pattern.quote(PRESENCE_PREFIX) + DOC_ID_REGEX;

  /** Where a document's publications go on the event bus, to the bridge gates ({@link RecFrame}). */
  static String fanout(String doc) {
    return "collab.internal.fanout." + doc;
  }

  // Public addresses: anyone may register on them, no token (the bridge gate lets them through).
  /** The live signature count of a manifesto: {confirmed, goal, byCountry}, at most once a second. */
  public static final String SIGNATURES_PREFIX = "manifesto.signatures.";
  public static final String SIGNATURES_REGEX = Pattern.quote(SIGNATURES_PREFIX) + "[A-Za-z0-9_-]{1,64}";
  private static final Pattern SIGNATURES = Pattern.compile(SIGNATURES_REGEX);

  public static String signatures(String manifestoId) {
    return SIGNATURES_PREFIX + manifestoId;
  }

  /** True for an address anyone may register on without a token. */
  public static boolean isPublic(String address) {
    return address != null && SIGNATURES.matcher(address).matches();
  }

  public static String doc(String doc) {
    return DOC_PREFIX + doc;
  }

  public static String presence(String doc) {
    return PRESENCE_PREFIX + doc;
  }

  public static String manifestoOf(String doc) {
    int colon = doc.indexOf(':');
    return colon < 0 ? doc : doc.substring(0, colon);
  }

  /** The document named by a subscription address, or null when it is not one of ours. */
  public static String docOfSubscription(String address) {
    String doc = docOfPublications(address);
    return doc != null ? doc : docAfter(PRESENCE_PREFIX, address);
  }

  /** The document of a {@code manifesto.doc.<doc>} address, or null for any other address. */
  public static String docOfPublications(String address) {
    return docAfter(DOC_PREFIX, address);
  }

  private static String docAfter(String prefix, String address) {
    if (!address.startsWith(prefix)) {
      return null;
    }
    String doc = address.substring(prefix.length());
    return DOC_ID.matcher(doc).matches() ? doc : null;
  }
}
