package org.convene.common;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The address a request comes from, as rate limits count it. With TRUST_PROXY, the last address of
 * {@code X-Forwarded-For}: the one our own proxy appended (the ones before it are whatever the client
 * sent, so they are never trusted). Without it, the TCP peer; the header is ignored.
 * IPv6 addresses count by their /64 network: one host is usually handed a whole /64.
 */
public final class ClientAddress {
  private static final Pattern IP = Pattern.compile("\\[?[0-9A-Fa-f:.]{2,45}]?");

  private ClientAddress() {}

  /** The key rate limits count by: {@link #address} with IPv6 reduced to its /64, "unknown" when none. */
  public static String of(RoutingContext ctx, boolean trustProxy) {
    String address = address(ctx, trustProxy);
    return address == null ? "unknown" : key(address);
  }

  /**
   * The client's address as text (what abuse control keeps for a while): with TRUST_PROXY the last
   * entry of the last X-Forwarded-For header when it looks like an IP address, else the TCP peer;
   * null when there is none.
   */
  public static String address(RoutingContext ctx, boolean trustProxy) {
    if (trustProxy) {
      String forwarded = ctx.request().headers().getAll("X-Forwarded-For").stream()
          .reduce((a, b) -> b).orElse(null);
      if (forwarded != null) {
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).strip();
        if (IP.matcher(last).matches()) {
          return last;
        }
      }
    }
    SocketAddress peer = ctx.request().remoteAddress();
    return peer == null ? null : peer.hostAddress();
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
