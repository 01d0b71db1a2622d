package org.convene.collab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.convene.common.Config;
import org.convene.common.Text;
import org.convene.ot.InvalidOperationException;
import org.convene.ot.TextOperation;

/** The protocol's request bodies, each decoded and checked once, before anything touches a document. */
final class Requests {
  private Requests() {}

  static final int MAX_NAME_LENGTH = 60;
  static final int MAX_CLIENT_ID_LENGTH = 64;

  record Open(String doc, String name, String resume) {
    static Open parse(Object body) {
      JsonObject json = object(body);
      Text.Name name = Text.name(string(json, "name", MAX_NAME_LENGTH * 2), MAX_NAME_LENGTH);
      if (name.problem() != null) {
        throw CollabException.badRequest("name: " + name.problem());
      }
      String resume = json.getValue("resume") == null ? null : string(json, "resume", 100);
      return new Open(docOf(json), name.value(), resume);
    }
  }

  record Edit(String doc, String clientId, int seq, int revision, TextOperation op) {
    static Edit parse(Object body, Config.Limits limits) {
      JsonObject json = object(body);
      String doc = docOf(json);
      String clientId = string(json, "clientId", MAX_CLIENT_ID_LENGTH);
      int seq = integer(json, "seq", 1);
      int revision = integer(json, "revision", 0);
      if (!(json.getValue("op") instanceof JsonArray components)) {
        throw CollabException.badRequest("op must be an array (ot.js TextOperation JSON)");
      }
      if (components.size() > limits.maxOperationLength()) {
        throw new CollabException(413, "op has more than " + limits.maxOperationLength() + " components");
      }
      Object selection = json.getValue("selection");
      if (selection != null && !(selection instanceof JsonObject)) {
        throw CollabException.badRequest("selection must be an object {ranges:[{anchor, head}]}");
      }
      TextOperation op;
      try {
        op = TextOperation.fromComponents(components.getList());
      } catch (InvalidOperationException e) {
        throw CollabException.badRequest("invalid op: " + e.getMessage());
      }
      if (op.insertedLength() + op.componentCount() > limits.maxOperationLength()) {
        throw new CollabException(413, "op is larger than " + limits.maxOperationLength() + " characters");
      }
      for (Object c : op.toComponents()) {
        String problem = c instanceof String inserted ? Text.problem(inserted) : null;
        if (problem != null) {
          throw CollabException.badRequest("invalid op: an inserted string " + problem);
        }
      }
      return new Edit(doc, clientId, seq, revision, op);
    }
  }

  record History(String doc, int from, Integer to) {
    static History parse(Object body) {
      JsonObject json = object(body);
      int from = integer(json, "from", 0);
      Integer to = json.getValue("to") == null ? null : integer(json, "to", 0);
      if (to != null && to < from) {
        throw CollabException.badRequest("to must not be below from");
      }
      return new History(docOf(json), from, to);
    }
  }

  /** {@code revision}, when given, is the revision the selection's positions refer to. */
  record Presence(String doc, String clientId, JsonObject selection, Integer revision) {
    static final int MAX_RANGES = 100;

    static Presence parse(Object body) {
      JsonObject json = object(body);
      String clientId = string(json, "clientId", MAX_CLIENT_ID_LENGTH);
      if (!(json.getValue("selection") instanceof JsonObject selection)
          || !(selection.getValue("ranges") instanceof JsonArray ranges)
          || ranges.size() > MAX_RANGES) {
        throw CollabException.badRequest("selection must be {ranges:[{anchor, head}]} with at most " + MAX_RANGES + " ranges");
      }
      JsonArray clean = new JsonArray();
      for (Object r : ranges) {
        if (!(r instanceof JsonObject range)) {
          throw CollabException.badRequest("each selection range must be {anchor, head}");
        }
        clean.add(new JsonObject().put("anchor", integer(range, "anchor", 0)).put("head", integer(range, "head", 0)));
      }
      Integer revision = json.getValue("revision") == null ? null : integer(json, "revision", 0);
      return new Presence(docOf(json), clientId, new JsonObject().put("ranges", clean), revision);
    }
  }

  static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw CollabException.badRequest("body must be a JSON object");
  }

  static String docOf(JsonObject json) {
    String doc = string(json, "doc", 100);
    if (!Addresses.DOC_ID.matcher(doc).matches()) {
      throw CollabException.badRequest("doc is not a document id");
    }
    return doc;
  }

  static String string(JsonObject json, String field, int maxLength) {
    if (!(json.getValue(field) instanceof String s) || s.isEmpty()) {
      throw CollabException.badRequest(field + " must be a non-empty string");
    }
    if (s.length() > maxLength) {
      throw CollabException.badRequest(field + " is longer than " + maxLength);
    }
    return s;
  }

  static int integer(JsonObject json, String field, int min) {
    Object v = json.getValue(field);
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= min
        && ((Number) v).longValue() <= Integer.MAX_VALUE) {
      return ((Number) v).intValue();
    }
    throw CollabException.badRequest(field + " must be a whole number >= " + min);
  }
}
