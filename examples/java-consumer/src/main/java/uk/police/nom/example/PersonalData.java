package uk.police.nom.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Personal fields on the wire (docs/integrators.md, "Personal data"): each is the string
 * {@code nom-enc:v1:<base64url(iv 12 | ciphertext | tag 16)>}, AES-256-GCM under the subject's key (key id = the
 * stream id, {@code ce_subject}), with additional authenticated data {@code nom-enc:v1|<ce_id>|<JSON pointer>}; the
 * plaintext is the field's JSON value. Keys come from {@code GET /forces/<force>/subject-keys/<keyId>} with a token of
 * role force-integration; 410 means the subject was erased: forget the key and every clear copy.
 */
final class PersonalData {
  static final String PREFIX = "nom-enc:v1:";

  /** A personal field found in an event's data: where, and its clear value (null when its subject was erased). */
  record Field(String pointer, JsonNode clear) {}

  private final HttpClient http;
  private final ObjectMapper json;
  private final URI api;
  private final String token;
  private final String force;
  /** Keys by key id; an erased subject maps to empty (never asked again). Keep keys no longer than needed. */
  private final Map<String, Optional<byte[]>> keys = new HashMap<>();

  PersonalData(HttpClient http, ObjectMapper json, URI api, String token, String force) {
    this.http = http;
    this.json = json;
    this.api = api;
    this.token = token;
    this.force = force;
  }

  /** Every encrypted field of {@code data}, decrypted with the subject key of {@code keyId}. */
  List<Field> decryptAll(String eventId, String keyId, JsonNode data) throws IOException, InterruptedException, GeneralSecurityException {
    List<String[]> tokens = new ArrayList<>();
    collect(data, "", tokens);
    List<Field> fields = new ArrayList<>();
    if (tokens.isEmpty()) return fields;
    Optional<byte[]> key = key(keyId);
    for (String[] found : tokens) {
      String pointer = found[0];
      fields.add(new Field(pointer, key.isPresent() ? decrypt(key.get(), eventId, pointer, found[1]) : null));
    }
    return fields;
  }

  /** The field's JSON value, or an exception if the token was not made for this event and field under this key. */
  JsonNode decrypt(byte[] key, String eventId, String pointer, String token) throws GeneralSecurityException, IOException {
    byte[] raw = Base64.getUrlDecoder().decode(token.substring(PREFIX.length()));
    if (raw.length < 12 + 16) throw new GeneralSecurityException("token too short");
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, raw, 0, 12));
    cipher.updateAAD(("nom-enc:v1|" + eventId + "|" + pointer).getBytes(StandardCharsets.UTF_8));
    byte[] clear = cipher.doFinal(Arrays.copyOfRange(raw, 12, raw.length));
    return json.readTree(clear);
  }

  private Optional<byte[]> key(String keyId) throws IOException, InterruptedException {
    Optional<byte[]> known = keys.get(keyId);
    if (known != null) return known;
    String path = "/forces/" + force + "/subject-keys/" + URLEncoder.encode(keyId, StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    Optional<byte[]> key;
    if (response.statusCode() == 200) key = Optional.of(Base64.getUrlDecoder().decode(json.readTree(response.body()).path("key").asText()));
    else if (response.statusCode() == 410) key = Optional.empty();
    else throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    keys.put(keyId, key);
    return key;
  }

  /** Erasure: the subject's key is forgotten and never fetched again (the backbone answers 410 for it anyway). */
  void forget(String keyId) {
    keys.put(keyId, Optional.empty());
  }

  private static void collect(JsonNode node, String pointer, List<String[]> out) {
    if (node.isTextual() && node.asText().startsWith(PREFIX)) {
      out.add(new String[] {pointer, node.asText()});
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        collect(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) collect(node.get(i), pointer + "/" + i, out);
    }
  }
}
