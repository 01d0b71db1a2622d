package org.convene.collab;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.VoidChannelPromise;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

/**
 * What the gate does below the SockJS API: closing a bridge socket whose reader is gone, and writing
 * frames encoded once straight to a WebSocket's channel. {@link ConnectionBase} is Vert.x's internal
 * class for a connection: the public API has no way to reach the channel under a SockJS socket.
 */
final class Sockets {
  private Sockets() {}

  /**
   * Closes the socket now, dropping whatever is queued for it. A WebSocket's close() only queues a
   * close frame behind the data the peer is not reading, and its closing timeout starts once that
   * frame is written: it would never close. So the TCP connection under it is closed from the head of
   * its Netty pipeline, which fails (and frees) the queued writes; Vert.x then reports the close as
   * usual and the bridge sends SOCKET_CLOSED. Other SockJS transports keep their frames in the
   * session, which close() discards.
   */
  static void abort(SockJSSocket socket) {
    socket.close();
    Channel channel = webSocketChannel(socket);
    if (channel != null) {
      ChannelHandlerContext first = channel.pipeline().firstContext();
      if (first != null) {
        first.close();
      } else {
        channel.close();
      }
    }
  }

  /** The channel under a socket that came by a WebSocket transport; null for the XHR transports. */
  private static Channel webSocketChannel(SockJSSocket socket) {
    RoutingContext rc = socket.routingContext();
    HttpServerRequest request = rc == null ? null : rc.request();
    if (request != null && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
        && request.connection() instanceof ConnectionBase connection) {
      return connection.channel();
    }
    return null;
  }

  /**
   * A socket's WebSocket channel, for frames encoded once ({@link SharedFrame}); null for a socket
   * that came by an XHR transport, which is written to through SockJS as usual. The raw endpoint is
   * the bridge's mount point followed by {@code /websocket}; SockJS's WebSocket transport has a
   * server and a session segment between the two, and frames each message as {@code a["..."]}.
   */
  static Direct direct(SockJSSocket socket) {
    Channel channel = webSocketChannel(socket);
    if (channel == null) {
      return null;
    }
    RoutingContext rc = socket.routingContext();
    String mount = rc.mountPoint() == null ? "" : rc.mountPoint();
    String path = rc.request().path() == null ? "" : rc.request().path();
    boolean raw = path.equals(mount + "/websocket") || path.equals(mount + "websocket");
    return new Direct(channel, !raw, new VoidChannelPromise(channel, false));
  }

  /**
   * Writes to one WebSocket below Vert.x's WebSocket and SockJS's session: a frame written this way
   * may overtake what Vert.x holds queued for the same connection, so only whole-state messages (the
   * public count, each one complete) go this way; a document's publications, whose order against the
   * replies matters, go through the socket.
   */
  record Direct(Channel channel, boolean sockJs, VoidChannelPromise quiet) {
    /** Bytes written to the channel that it has not yet passed to the operating system. */
    long pending() {
      ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
      return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /**
     * Writes the frame and flushes it, one system call; false when the channel is closed already
     * (its SOCKET_CLOSED still to come). A failure is not reported here: a broken channel closes,
     * and the bridge's SOCKET_CLOSED follows.
     */
    boolean write(SharedFrame frame) {
      if (!channel.isActive()) {
        return false;
      }
      channel.writeAndFlush(frame.frame(sockJs), quiet);
      return true;
    }
  }
}
