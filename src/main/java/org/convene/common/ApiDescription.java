package org.convene.common;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The REST API's OpenAPI document as kept in the repository ({@code src/main/resources/openapi/openapi.yaml}),
 * read as JSON: the wiring checks every request against it, and a feature may read what it states (the
 * sign form's lengths) rather than state it again.
 */
public final class ApiDescription {
  public static final String RESOURCE = "openapi/openapi.yaml";

  private ApiDescription() {}

  /** The document as a JSON object, from the YAML kept in the repository. */
  public static JsonObject read() {
    try (InputStream in = ApiDescription.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Map<String, Object> raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return new JsonObject(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
