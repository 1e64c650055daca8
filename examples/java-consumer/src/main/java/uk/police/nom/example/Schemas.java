package uk.police.nom.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data schemas the backbone serves at every record's {@code ce_dataschema} URL (no token: they carry no data),
 * fetched once per URL and kept: a published version never changes. Validates an event's data against its schema.
 */
final class Schemas {
  /** Why an event's schema could not be had: an unknown (e.g. newer) event type or version, or the server away. */
  static final class UnavailableSchemaException extends Exception {
    final int status;

    UnavailableSchemaException(String message, int status) {
      super(message);
      this.status = status;
    }
  }

  private final HttpClient http;
  private final ObjectMapper json;
  private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
  private final Map<URI, JsonSchema> cache = new ConcurrentHashMap<>();

  Schemas(HttpClient http, ObjectMapper json) {
    this.http = http;
    this.json = json;
  }

  /** The schema at {@code url}, from the cache or fetched. */
  JsonSchema schema(URI url) throws UnavailableSchemaException, IOException, InterruptedException {
    JsonSchema cached = cache.get(url);
    if (cached != null) return cached;
    if (url == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
      throw new UnavailableSchemaException("ce_dataschema is not an http(s) URL: " + url, 0);
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).header("Accept", "application/schema+json").GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) throw new UnavailableSchemaException("GET " + url + " answered " + response.statusCode(), response.statusCode());
    JsonNode node = json.readTree(response.body());
    JsonSchema schema = factory.getSchema(node, config);
    cache.put(url, schema);
    return schema;
  }

  /** What is wrong with {@code data} for the schema at {@code url} (empty: valid). */
  List<String> violations(URI url, JsonNode data) throws UnavailableSchemaException, IOException, InterruptedException {
    return schema(url).validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
