package org.convene.collab;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/** Closing a bridge socket whose reader is gone. */
final class Sockets {
  private Sockets() {}

  /**
   * Closes the socket now, dropping whatever is queued for it. A WebSocket's close() only queues a
   * close frame behind the data the peer is not reading, and its closing timeout starts once that
   * frame is written: it would never close. So the TCP connection under it is closed from the head of
   * its Netty pipeline, which fails (and frees) the queued writes; Vert.x then reports the close as
   * usual and the bridge sends SOCKET_CLOSED. Other SockJS transports keep their frames in the
   * session, which close() discards. {@link ConnectionBase} is Vert.x's internal class for a
   * connection: the public API has no way to close one without the WebSocket closing handshake.
   */
  static void abort(SockJSSocket socket) {
    socket.close();
    RoutingContext rc = socket.routingContext();
    HttpServerRequest request = rc == null ? null : rc.request();
    if (request != null && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
        && request.connection() instanceof ConnectionBase connection) {
      ChannelHandlerContext first = connection.channel().pipeline().firstContext();
      if (first != null) {
        first.close();
      } else {
        connection.channel().close();
      }
    }
  }
}
