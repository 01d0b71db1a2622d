package org.convene.collab;

/** A refused request, carrying the protocol's failure code (400, 401, 403, 404, 409, 413, 429, 503). */
public final class CollabException extends RuntimeException {
  private final int code;

  public CollabException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static CollabException badRequest(String message) {
    return new CollabException(400, message);
  }

  public static CollabException unavailable(String message) {
    return new CollabException(503, message);
  }
}
