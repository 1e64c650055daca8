// A force integration team's librdkafka client, as it would sign in (test of ADR 0030): reads one topic from the
// beginning with a group under the force's prefix and prints one JSON line: the records (key, headers, value as
// base64) or the error librdkafka reported. node-rdkafka is loaded from NOM_LIBRDKAFKA_DIR (scripts/clients/install.sh).
//
//   NOM_LIBRDKAFKA_DIR=... KAFKA_BROKERS=... KAFKA_USERNAME=force-kent KAFKA_PASSWORD=... \
//     node consume.mjs <topic> <group> <expected record count> <timeout ms>
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(resolve(process.env.NOM_LIBRDKAFKA_DIR ?? '.', 'package.json'));
const Kafka = require('node-rdkafka');
const [topic, group, expected, timeoutMs] = process.argv.slice(2);
const want = Number(expected);

// The settings an integrator needs with librdkafka 2.6.1 or later (Python, .NET and Go Confluent clients alike).
const consumer = new Kafka.KafkaConsumer(
  {
    'bootstrap.servers': process.env.KAFKA_BROKERS,
    'security.protocol': process.env.KAFKA_SECURITY_PROTOCOL ?? 'SASL_PLAINTEXT',
    'sasl.mechanisms': 'SCRAM-SHA-512',
    'sasl.username': process.env.KAFKA_USERNAME,
    'sasl.password': process.env.KAFKA_PASSWORD,
    'group.id': group,
    'enable.auto.commit': false,
    'allow.auto.create.topics': false,
    event_cb: true,
  },
  { 'auto.offset.reset': 'earliest' },
);

const records = [];
let finished = false;
function finish(result) {
  if (finished) return;
  finished = true;
  clearTimeout(timer);
  process.stdout.write(`${JSON.stringify({ librdkafka: Kafka.librdkafkaVersion, ...result })}\n`);
  // A client that could not sign in has nothing to close; one that signed in (even if then refused a topic or a
  // group) closes its handle before exiting: exiting with librdkafka's threads still running can crash the process.
  if (!consumer.isConnected()) process.exit(0);
  consumer.disconnect(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
const timer = setTimeout(
  () => finish({ records, error: { code: 'timeout', message: `${records.length} of ${want} records` } }),
  Number(timeoutMs),
);
const asError = (err) => ({ code: err.code, message: err.message });

consumer.on('event.error', (err) => finish({ records, error: asError(err) }));
// A refused sign-in surfaces as the connect's error once its metadata request gives up (librdkafka retries it).
consumer.connect({ timeout: Math.min(8000, Number(timeoutMs) / 2) }, (err) => {
  if (err) return finish({ records, error: asError(err) });
  consumer.subscribe([topic]);
  const poll = () =>
    consumer.consume(100, (error, messages) => {
      if (finished) return;
      if (error) return finish({ records, error: asError(error) });
      for (const m of messages) {
        const headers = {};
        for (const h of m.headers ?? []) for (const [name, value] of Object.entries(h)) headers[name] = Buffer.from(value).toString('utf8');
        records.push({
          partition: m.partition,
          offset: m.offset,
          key: m.key ? m.key.toString('utf8') : null,
          headers,
          value: m.value ? m.value.toString('base64') : null,
        });
      }
      if (records.length >= want) return finish({ records });
      setImmediate(poll);
    });
  poll();
});
