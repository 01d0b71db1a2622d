package org.convene.translations;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.convene.common.Tokens;

/**
 * Editor links minted for translators by an admin. A capability token names a manifesto and a role,
 * not a document: a translator's link is an editor link, and opens the source's editor too.
 */
final class TranslatorLinks {
  private static final String INSERT = "INSERT INTO capability_tokens (token_hash, manifesto_id, role) VALUES ($1, $2, 'editor')";

  private final Pool pool;

  TranslatorLinks(Pool pool) {
    this.pool = pool;
  }

  /** A new editor token for the manifesto; only its hash is kept, so it is shown once. */
  Future<String> create(String manifestoId) {
    String token = Tokens.newToken();
    return pool.preparedQuery(INSERT).execute(Tuple.of(Tokens.hash(token), manifestoId)).map(r -> token);
  }
}
