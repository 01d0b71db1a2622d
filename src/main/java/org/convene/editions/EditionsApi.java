package org.convene.editions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.convene.manifesto.ManifestoRepository;
import org.convene.pdf.Credit;
import org.convene.pdf.Edition;
import org.convene.pdf.Labels;
import org.convene.pdf.ManifestoText;
import org.convene.pdf.PaperSize;
import org.convene.pdf.PdfRenderer;
import org.convene.pdf.PdfRequest;
import org.convene.translations.Languages;
import org.convene.translations.TranslationsApi;
import org.convene.translations.TranslationsRepository;
import org.convene.pdf.VersionInfo;
import org.convene.signing.DatabaseSignatures;
import org.convene.versions.VersionReader;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Json;

/**
 * {@code GET /api/manifestos/{id}/versions/{n}/pdf} (public once published, else viewer) and
 * {@code GET /api/manifestos/{id}/pdf} (the version published last). Order of checks: access
 * (401/403), query (400 with fields), existence and translations (404). {@code with=signatures} adds the appendix of the
 * confirmed signatures of that version or an earlier one ({@code signing.DatabaseSignatures}).
 */
public final class EditionsApi {
  /** Renders at once, for the whole process: PDFs are CPU-bound and must never starve the event loops. */
  static final int RENDER_THREADS = 2;
  /** The cache's bound on the PDFs' total size. */
  static final long CACHE_BYTES = 64L << 20;
  private static final String SHARED_MAP = "org.convene.editions";
  private static final PdfRenderer RENDERER = new PdfRenderer();

  private final Vertx vertx;
  private final Pool pool;
  private final VersionReader versions;
  private final ManifestoRepository manifestos;
  private final Bearer bearer;
  private final String publicUrl;
  private final WorkerExecutor workers;
  private final EditionCache cache;
  private final TranslationsRepository translations;

  public EditionsApi(Vertx vertx, Pool pool, Bearer bearer, String publicUrl) {
    this.vertx = vertx;
    this.pool = pool;
    this.versions = new VersionReader(vertx, pool);
    this.manifestos = new ManifestoRepository(pool);
    this.bearer = bearer;
    this.publicUrl = publicUrl;
    // Shared by name: every HTTP verticle gets the same two threads (closed with the last verticle).
    this.workers = vertx.createSharedWorkerExecutor("convene-pdf", RENDER_THREADS);
    this.cache = cache(vertx);
    this.translations = new TranslationsRepository(pool);
  }

  /** The one cache of this Vert.x instance, whichever verticle asks. */
  static EditionCache cache(Vertx vertx) {
    return vertx.sharedData().<String, EditionCache>getLocalMap(SHARED_MAP)
        .computeIfAbsent("cache", k -> new EditionCache(CACHE_BYTES));
  }

  public void mount(Router router) {
    router.get("/api/manifestos/:id/versions/:n/pdf").handler(this::version);
    router.get("/api/manifestos/:id/pdf").handler(this::latest);
  }

  /** The parsed query. */
  record Query(Edition edition, PaperSize paper, String language, String language2, boolean signatures) {
    String editionName() {
      return edition.name().toLowerCase(Locale.ROOT);
    }
  }

  private void version(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int n = Integer.parseInt(ctx.pathParam("n")); // digits, at least 1: the API document checked it
    serve(ctx, versions.readable(ctx, bearer, id, n).map(v -> {
      Query q = query(ctx);
      if (v == null) {
        throw ApiError.of(404, "no version " + n);
      }
      return new Found(v, q);
    }), false);
  }

  private void latest(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    serve(ctx, Future.succeededFuture().map(x -> query(ctx))
        .compose(q -> versions.current(id).compose(n -> {
          if (n == null) {
            throw ApiError.of(404, "nothing is published for " + id + " yet: publish a version first");
          }
          return versions.readable(ctx, bearer, id, n);
        }).map(v -> new Found(v, q))), true);
  }

  private record Found(VersionReader.Saved version, Query query) {}

  private void serve(RoutingContext ctx, Future<Found> found, boolean latest) {
    found.compose(f -> manifestos.find(f.version().manifestoId()).compose(m -> {
      if (m == null) {
        throw ApiError.of(404, "no manifesto " + f.version().manifestoId());
      }
      Query q = f.query();
      checkLanguages(q, m.language());
      return texts(m, f.version(), q).compose(texts -> cached(ctx, m, f.version(), q, texts, latest));
    })).onFailure(err -> {
      if (!ctx.response().ended()) {
        Json.error(err).send(ctx);
      }
    });
  }

  /** The columns' languages and texts: the version's own, or a translation published for it. */
  private record Texts(String language, String text, String language2, String text2) {}

  private Future<Texts> texts(ManifestoRepository.Manifesto m, VersionReader.Saved v, Query q) {
    String first = q.language() == null ? m.language() : canonical(q.language());
    Future<String> text = first.equalsIgnoreCase(m.language()) ? Future.succeededFuture(v.text())
        : translation(m, v, first);
    if (q.language2() == null) {
      return text.map(t -> new Texts(first, t, null, null));
    }
    String second = canonical(q.language2());
    Future<String> text2 = second.equalsIgnoreCase(m.language()) ? Future.succeededFuture(v.text())
        : translation(m, v, second);
    return text.compose(t -> text2.map(t2 -> new Texts(first, t, second, t2)));
  }

  private Future<String> translation(ManifestoRepository.Manifesto m, VersionReader.Saved v, String language) {
    return translations.published(m.id(), v.number(), language).map(p -> {
      if (p == null) {
        throw ApiError.of(404, "no translation into " + language + " yet"); // published for this version
      }
      return p.text();
    });
  }

  private static String canonical(String tag) {
    Languages.Language l = Languages.parse(tag);
    return l == null ? tag : l.tag();
  }

  private Future<Void> cached(RoutingContext ctx, ManifestoRepository.Manifesto m, VersionReader.Saved v, Query q,
                              Texts texts, boolean latest) {
    // The appendix: the confirmed signatures of this version or an earlier one, read from the database.
    Future<DatabaseSignatures> appendix = q.signatures()
        ? DatabaseSignatures.open(vertx, pool, m.id(), v.number()) : Future.succeededFuture(null);
    return appendix.compose(signed -> {
      // A translation is keyed by its text's hash: publishing it again for the version makes a new PDF.
      String language = texts.language() + "#" + TranslationsApi.sha256(texts.text());
      String language2 = texts.language2() == null ? null : texts.language2() + "#" + TranslationsApi.sha256(texts.text2());
      EditionCache.Key key = new EditionCache.Key(m.id(), v.number(), language, q.editionName(), language2,
          q.paper().name(), signed == null ? -1 : signed.stamp());
      return Future.fromCompletionStage(cache.get(key, () -> render(m, v, q, texts, signed)), ctx.vertx().getOrCreateContext());
    }).map(pdf -> {
      respond(ctx, m, v, q, pdf, latest);
      return null;
    });
  }

  private void respond(RoutingContext ctx, ManifestoRepository.Manifesto m, VersionReader.Saved v, Query q,
      EditionCache.Pdf pdf, boolean latest) {
    String etag = "\"" + pdf.sha256() + "\"";
    // A published version never changes; "latest" moves when another is published; drafts need a token.
    String caching = !v.published() ? "private, no-cache" : latest ? "public, no-cache" : "public, max-age=86400";
    ctx.response().putHeader("ETag", etag).putHeader("Cache-Control", caching)
        .putHeader("Vary", "Authorization");
    String match = ctx.request().getHeader("If-None-Match");
    if (match != null && (match.equals(etag) || match.equals("W/" + etag))) {
      ctx.response().setStatusCode(304).end();
      return;
    }
    ctx.response().putHeader("Content-Type", "application/pdf")
        .putHeader("Content-Disposition", FileNames.contentDisposition(m.title(), v.number(), q.editionName()))
        .end(Buffer.buffer(pdf.bytes()));
  }

  /** Credits, then the render on the PDF workers; {@code signed} null for no appendix. */
  private Future<EditionCache.Pdf> render(ManifestoRepository.Manifesto m, VersionReader.Saved v, Query q,
                                          Texts texts, DatabaseSignatures signed) {
    return versions.contributors(m.id(), v.revision()).compose(contributors -> workers.executeBlocking(() -> {
      PdfRequest request = PdfRequest.of(m.title(), texts.language(), ManifestoText.parse(texts.text()),
              new VersionInfo(v.number(), v.name(), v.createdAt(), v.sha256()),
              texts.language2() == null ? q.edition() : Edition.READING, q.paper()) // withTranslation: bilingual
          .withCredits(credits(contributors, Labels.forLanguage(texts.language())))
          .withSignUrl(publicUrl + "/p/" + m.id())
          .withSignatures(signed);
      if (texts.language2() != null) {
        request = request.withTranslation(ManifestoText.parse(texts.text2()), texts.language2());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      long started = System.nanoTime();
      try {
        RENDERER.render(request, out);
      } finally {
        org.convene.common.Metrics.of(vertx).pdfRendered(q.editionName(), System.nanoTime() - started);
        if (signed != null) {
          signed.close();
        }
      }
      byte[] bytes = out.toByteArray();
      return new EditionCache.Pdf(bytes, sha256(bytes));
    }, false));
  }

  /**
   * Drafting credits, largest share first, worded in the edition's language; the text the manifesto was
   * created with is labelled as such.
   */
  static List<Credit> credits(List<VersionReader.Contributor> contributors, Labels labels) {
    List<VersionReader.Contributor> sorted = new ArrayList<>(contributors);
    sorted.sort(Comparator.comparingInt(VersionReader.Contributor::characters).reversed()
        .thenComparing(VersionReader.Contributor::name));
    List<Credit> out = new ArrayList<>();
    for (VersionReader.Contributor c : sorted) {
      if (c.characters() == 0) {
        continue;
      }
      out.add(c.name().isEmpty()
          ? new Credit(labels.format("pdf.credit.initial.name"), labels.format("pdf.credit.initial.role", "share", c.share()))
          : new Credit(c.name(), labels.drafting(c.share())));
    }
    return out;
  }

  /**
   * Edition, paper, lang, lang2 and with, each as the API document lets it through (an edition, A4 or
   * Letter in any case, tags); here only what ties them together: lang2 with the bilingual edition only.
   */
  static Query query(RoutingContext ctx) {
    String editionRaw = ctx.queryParams().get("edition");
    Edition edition = editionRaw == null ? Edition.PRINT : Edition.valueOf(editionRaw.toUpperCase(Locale.ROOT));
    String paperRaw = ctx.queryParams().get("paper");
    PaperSize paper = paperRaw == null || paperRaw.equalsIgnoreCase("A4") ? PaperSize.A4 : PaperSize.LETTER;
    String lang = ctx.queryParams().get("lang");
    String lang2 = ctx.queryParams().get("lang2");
    if (edition == Edition.BILINGUAL && lang2 == null) {
      throw ApiError.invalid(new JsonObject().put("lang2", "the bilingual edition needs lang2, the language of the second column"));
    } else if (edition != Edition.BILINGUAL && lang2 != null) {
      throw ApiError.invalid(new JsonObject().put("lang2", "only with edition=bilingual"));
    }
    return new Query(edition, paper, lang, lang2, "signatures".equals(ctx.queryParams().get("with")));
  }

  /** lang2 must differ from the first column's language (lang, or the manifesto's own). */
  private static void checkLanguages(Query q, String language) {
    String first = q.language() == null ? language : q.language();
    if (q.language2() != null && q.language2().equalsIgnoreCase(first)) {
      throw ApiError.invalid(new JsonObject().put("lang2", "must differ from the first column's language " + first));
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
