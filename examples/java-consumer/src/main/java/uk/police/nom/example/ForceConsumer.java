package uk.police.nom.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A force integration team's consumer of its force's topic (docs/integrators.md), with the Apache Kafka Java client
 * and the CloudEvents SDK's Kafka binding. For each record: decodes the CloudEvent (binary mode), validates its data
 * against the JSON Schema at {@code ce_dataschema}, drops a duplicate and raises a gap (per stream, on
 * {@code ce_nomstreamrevision}), decrypts its personal fields with the subject key from the API, forgets the keys of
 * erased subjects, applies it to its store (here: counts), then commits the offsets.
 *
 * <p>Settings (environment): KAFKA_BROKERS, KAFKA_USERNAME ({@code force-<code>}), KAFKA_PASSWORD,
 * KAFKA_SECURITY_PROTOCOL (SASL_SSL), NOM_FORCE, NOM_GROUP_ID ({@code force-<code>.<app>}), NOM_TOPIC
 * ({@code nom.force.<code>.events}), NOM_API_URL and NOM_API_TOKEN (role force-integration), NOM_STOP_AFTER (stop once
 * that many distinct events were applied; 0: run for ever), NOM_TIMEOUT_MS. Prints one JSON report line at the end;
 * exits 0 when every record was applied with no error, 1 otherwise, 2 when the broker refused it.
 */
public final class ForceConsumer {
  private static final String ERASED_TYPE = "uk.police.nom.privacy.subject-erased.v1";

  private final ObjectMapper json = new ObjectMapper();
  private final Schemas schemas;
  private final PersonalData personal;
  /** The consumer's store: last applied revision per stream (a database table, in a real consumer). */
  private final Map<String, Long> lastRevision = new HashMap<>();
  private final ObjectNode report = json.createObjectNode();
  private final ArrayNode applied = report.putArray("applied");
  private final ArrayNode errors = report.putArray("errors");
  private final ArrayNode gaps = report.putArray("gaps");
  private final ArrayNode decrypted = report.putArray("decrypted");
  private final Map<String, Integer> types = new TreeMap<>();
  private int duplicates;

  ForceConsumer(URI api, String token, String force) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.schemas = new Schemas(http, json);
    this.personal = new PersonalData(http, json, api, token, force);
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    if (value != null && !value.isBlank()) return value;
    if (fallback == null) throw new IllegalArgumentException(name + " is required");
    return fallback;
  }

  static Properties kafkaProperties(String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env("KAFKA_BROKERS", null));
    p.put("security.protocol", env("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"));
    p.put("sasl.mechanism", "SCRAM-SHA-512");
    p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + env("KAFKA_USERNAME", null) + "\" password=\"" + env("KAFKA_PASSWORD", null) + "\";");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class.getName());
    return p;
  }

  /** One record: decode, validate, dedupe, check for a gap, decrypt, apply. Errors are reported, never thrown. */
  void handle(ConsumerRecord<String, CloudEvent> record) {
    CloudEvent event = record.value();
    String where = record.topic() + "/" + record.partition() + "@" + record.offset();
    try {
      if (event == null) throw new IllegalStateException("record without a value");
      String stream = event.getSubject();
      long revision = Long.parseLong(String.valueOf(event.getExtension("nomstreamrevision")));
      long last = lastRevision.getOrDefault(stream, -1L);
      if (revision <= last) {
        duplicates++;
        return;
      }
      if (revision > last + 1) gaps.addObject().put("stream", stream).put("expected", last + 1).put("got", revision);
      JsonNode data = json.readTree(event.getData() == null ? new byte[0] : event.getData().toBytes());
      List<String> violations = schemas.violations(event.getDataSchema(), data);
      if (!violations.isEmpty()) throw new IllegalStateException("data does not match " + event.getDataSchema() + ": " + violations);
      for (PersonalData.Field field : personal.decryptAll(event.getId(), stream, data)) {
        decrypted.addObject().put("id", event.getId()).put("pointer", field.pointer()).set("value", field.clear());
      }
      if (ERASED_TYPE.equals(event.getType())) for (JsonNode keyId : data.path("keysDestroyed")) personal.forget(keyId.asText());
      lastRevision.put(stream, revision);
      types.merge(event.getType(), 1, Integer::sum);
      applied.add(event.getId());
    } catch (Schemas.UnavailableSchemaException e) {
      // An event type or version this consumer cannot know yet (e.g. a newer version): park it, never guess.
      errors.addObject().put("at", where).put("kind", "unknown-schema").put("message", e.getMessage());
    } catch (Exception e) {
      errors.addObject().put("at", where).put("kind", e.getClass().getSimpleName()).put("message", String.valueOf(e.getMessage()));
    }
  }

  int run(String topic, String groupId, int stopAfter, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    int exit = 0;
    try (KafkaConsumer<String, CloudEvent> consumer = new KafkaConsumer<>(kafkaProperties(groupId))) {
      consumer.subscribe(List.of(topic));
      while (stopAfter == 0 || applied.size() < stopAfter) {
        if (System.currentTimeMillis() > deadline) {
          report.put("timedOut", true);
          exit = 1;
          break;
        }
        ConsumerRecords<String, CloudEvent> records = consumer.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, CloudEvent> record : records) handle(record);
        // The store is saved first (here: in memory), then the offsets: a crash redelivers, dedup drops it.
        if (!records.isEmpty()) consumer.commitSync();
      }
    } catch (KafkaException e) {
      report.putObject("refused").put("kind", e.getClass().getSimpleName()).put("message", String.valueOf(e.getMessage()));
      exit = 2;
    }
    report.put("duplicates", duplicates);
    report.set("types", json.valueToTree(types));
    if (exit == 0 && (errors.size() > 0 || gaps.size() > 0)) exit = 1;
    System.out.println(json.writeValueAsString(report));
    return exit;
  }

  public static void main(String[] args) throws Exception {
    String force = env("NOM_FORCE", null);
    ForceConsumer consumer = new ForceConsumer(URI.create(env("NOM_API_URL", null)), env("NOM_API_TOKEN", null), force);
    int exit = consumer.run(
        env("NOM_TOPIC", "nom.force." + force + ".events"),
        env("NOM_GROUP_ID", "force-" + force + ".java-consumer"),
        Integer.parseInt(env("NOM_STOP_AFTER", "0")),
        Long.parseLong(env("NOM_TIMEOUT_MS", String.valueOf(Long.MAX_VALUE / 4))));
    System.exit(exit);
  }
}
