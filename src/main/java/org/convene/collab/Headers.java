package org.convene.collab;

/**
 * Headers the bridge puts on every inbound frame, in place of whatever the client sent. Consumers of
 * bridged addresses trust these and nothing else.
 */
final class Headers {
  private Headers() {}

  /** The server's id of the SockJS connection the frame came from. */
  static final String CONNECTION = "x-conn";
  /** The token's manifesto and role, when the token was valid. */
  static final String MANIFESTO = "x-manifesto";
  static final String ROLE = "x-role";
  /** Set when the bridge already refused the frame: the failure code and why. */
  static final String REJECT = "x-reject";
  static final String REASON = "x-reason";
}
