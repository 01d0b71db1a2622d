package org.convene.manifesto;

import org.convene.common.Tokens;
import org.convene.common.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** SQL for manifestos and their tokens. */
public final class ManifestoRepository {
  private static final String INSERT_MANIFESTO = "INSERT INTO manifestos (id, title, language) VALUES ($1, $2, $3)";
  private static final String INSERT_TOKEN = "INSERT INTO capability_tokens (token_hash, manifesto_id, role) VALUES ($1, $2, $3)";
  private static final String INSERT_DOCUMENT = "INSERT INTO documents (id, manifesto_id) VALUES ($1, $1)";
  private static final String INSERT_SNAPSHOT = "INSERT INTO snapshots (doc, revision, text) VALUES ($1, 0, $2)";
  private static final String FIND = "SELECT id, title, language FROM manifestos WHERE id = $1";
  private static final String TOKEN_HASHES = "SELECT role, token_hash FROM capability_tokens WHERE manifesto_id = $1";

  public record Manifesto(String id, String title, String language) {}

  /** What creation hands back once: the tokens exist nowhere else in clear. */
  public record Created(Manifesto manifesto, String admin, String editor, String viewer) {}

  private final Pool pool;

  public ManifestoRepository(Pool pool) {
    this.pool = pool;
  }

  /** The manifesto, its three tokens, and its document at revision 0, in one transaction. */
  public Future<Created> create(String title, String language, String text) {
    Manifesto m = new Manifesto(Tokens.randomId(12), title, language);
    Created created = new Created(m, Tokens.newToken(), Tokens.newToken(), Tokens.newToken());
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_MANIFESTO).execute(Tuple.of(m.id(), title, language))
            .compose(v -> conn.preparedQuery(INSERT_TOKEN).executeBatch(List.of(
                Tuple.of(Tokens.hash(created.admin()), m.id(), Role.ADMIN.wire()),
                Tuple.of(Tokens.hash(created.editor()), m.id(), Role.EDITOR.wire()),
                Tuple.of(Tokens.hash(created.viewer()), m.id(), Role.VIEWER.wire()))))
            .compose(v -> conn.preparedQuery(INSERT_DOCUMENT).execute(Tuple.of(m.id())))
            .compose(v -> conn.preparedQuery(INSERT_SNAPSHOT).execute(Tuple.of(m.id(), text))))
        .map(v -> created);
  }

  /** The SHA-256 of each of the manifesto's tokens, by role (tokens are stored only so). */
  public Future<Map<Role, List<byte[]>>> tokenHashes(String id) {
    return pool.preparedQuery(TOKEN_HASHES).execute(Tuple.of(id)).map(rows -> {
      Map<Role, List<byte[]>> out = new EnumMap<>(Role.class);
      for (Row r : rows) {
        out.computeIfAbsent(Role.fromWire(r.getString("role")), k -> new ArrayList<>()).add(r.getBuffer("token_hash").getBytes());
      }
      return out;
    });
  }

  /** The manifesto, or null. */
  public Future<Manifesto> find(String id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new Manifesto(r.getString("id"), r.getString("title"), r.getString("language"));
    });
  }
}
