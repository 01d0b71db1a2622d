package org.convene.collab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is editing what, over which connection. A clientId is bound to exactly one connection at a time;
 * a resume moves it to the new connection, and frames naming a clientId from another connection are
 * refused. Confined to the collab verticle's event loop.
 */
final class Sessions {
  /** Distinct, readable on white, and not told apart by colour alone in the UI (names go with them). */
  private static final String[] COLORS = {
      "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf",
      "#8c564b", "#e377c2", "#bcbd22", "#393b79", "#637939", "#843c39"};

  record Session(String clientId, String doc, String name, String color, String conn) {}

  private final Map<String, Session> byClient = new HashMap<>();
  private final Map<String, Set<String>> byConnection = new HashMap<>();
  private final Map<String, Integer> perDocument = new HashMap<>();

  static String colorFor(String clientId) {
    return COLORS[Math.floorMod(clientId.hashCode(), COLORS.length)];
  }

  /** Binds a client to a connection, taking it from any connection that held it before. */
  void bind(Session session) {
    Session previous = byClient.put(session.clientId(), session);
    if (previous == null) {
      perDocument.merge(session.doc(), 1, Integer::sum);
    } else {
      Set<String> old = byConnection.get(previous.conn());
      if (old != null) {
        old.remove(session.clientId());
      }
    }
    byConnection.computeIfAbsent(session.conn(), c -> new HashSet<>()).add(session.clientId());
  }

  /** The client's session if it is bound to this connection, else refuses with 403. */
  Session require(String clientId, String conn, String doc) {
    Session s = byClient.get(clientId);
    if (s == null || !s.conn().equals(conn)) {
      throw new CollabException(403, "clientId is not bound to this connection; open the document first");
    }
    if (!s.doc().equals(doc)) {
      throw new CollabException(403, "clientId belongs to another document");
    }
    return s;
  }

  /** Forgets a closed connection; returns the sessions that left with it. */
  List<Session> closed(String conn) {
    Set<String> clients = byConnection.remove(conn);
    List<Session> left = new ArrayList<>();
    if (clients != null) {
      for (String clientId : clients) {
        Session s = byClient.remove(clientId);
        if (s != null) {
          left.add(s);
          perDocument.computeIfPresent(s.doc(), (d, n) -> n > 1 ? n - 1 : null);
        }
      }
    }
    return left;
  }

  JsonArray participants(String doc) {
    JsonArray list = new JsonArray();
    for (Session s : byClient.values()) {
      if (s.doc().equals(doc)) {
        list.add(new JsonObject().put("clientId", s.clientId()).put("name", s.name()).put("color", s.color()));
      }
    }
    return list;
  }

  /** Clients bound to a connection, all documents together. */
  int size() {
    return byClient.size();
  }

  boolean anyOn(String doc) {
    return count(doc) > 0;
  }

  /** Clients bound to a connection on this document. */
  int count(String doc) {
    return perDocument.getOrDefault(doc, 0);
  }
}
