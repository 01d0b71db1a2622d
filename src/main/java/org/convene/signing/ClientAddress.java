package org.convene.signing;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/** The signer's IP address, for rate limits and abuse control only. */
final class ClientAddress {
  private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private ClientAddress() {}

  /**
   * With TRUST_PROXY, the last address in {@code X-Forwarded-For}: the one our own proxy appended
   * (the ones before it are whatever the client sent). Otherwise the peer of the TCP connection.
   */
  static String of(RoutingContext ctx, boolean trustProxy) {
    if (trustProxy) {
      String forwarded = ctx.request().getHeader("X-Forwarded-For");
      if (forwarded != null) {
        String[] hops = forwarded.split(",");
        String last = hops[hops.length - 1].strip();
        if (IP.matcher(last).matches()) {
          return last;
        }
      }
    }
    SocketAddress peer = ctx.request().remoteAddress();
    return peer == null || peer.hostAddress() == null ? null : peer.hostAddress();
  }
}
