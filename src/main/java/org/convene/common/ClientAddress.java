package org.convene.common;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The address a request comes from, as rate limits count it. With TRUST_PROXY, the last address of
 * {@code X-Forwarded-For}: the one our own proxy appended (the ones before it are whatever the client
 * sent, so they are never trusted). Without it, the TCP peer; the header is ignored.
 * IPv6 addresses count by their /64 network: one host is usually handed a whole /64.
 */
public final class ClientAddress {
  private ClientAddress() {}

  public static String of(RoutingContext ctx, boolean trustProxy) {
    if (trustProxy) {
      String forwarded = ctx.request().headers().getAll("X-Forwarded-For").stream()
          .reduce((a, b) -> b).orElse(null);
      if (forwarded != null) {
        int comma = forwarded.lastIndexOf(',');
        String last = forwarded.substring(comma + 1).strip();
        if (!last.isEmpty()) {
          return key(last);
        }
      }
    }
    SocketAddress peer = ctx.request().remoteAddress();
    return peer == null || peer.hostAddress() == null ? "unknown" : key(peer.hostAddress());
  }

  /** An IPv4 address as is; an IPv6 address as its /64 network; anything else (not an address) as is. */
  static String key(String address) {
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    if (a.length() > 64) {
      return a.substring(0, 64); // no address is longer; a key stays small whatever a header holds
    }
    if (a.indexOf(':') < 0 || !a.matches("[0-9A-Fa-f:.%a-zA-Z]+")) {
      return a;
    }
    try {
      byte[] bytes = InetAddress.getByName(a).getAddress(); // a literal: no lookup
      if (bytes.length == 4) {
        return InetAddress.getByAddress(bytes).getHostAddress();
      }
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < 8; i += 2) {
        out.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF))).append(':');
      }
      return out.append(":/64").toString();
    } catch (UnknownHostException e) {
      return a;
    }
  }
}
