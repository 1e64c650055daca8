import { randomUUID } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { keyPartition, murmur2 } from '../src/kafka-partition.js';

/** kafkajs's default (Java-compatible) partitioner: the reference the relay's partitions must equal. */
const kafkajsPartitioner = Partitioners.DefaultPartitioner();

function kafkajsPartition(key: string, partitions: number): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [],
    isr: [],
    partitionErrorCode: 0,
  }));
  return kafkajsPartitioner({ topic: 't', partitionMetadata, message: { key, value: null } });
}

/** Keys of every length from 0 to 300 UTF-8 bytes and beyond the scratch buffer, ASCII and not (2, 3 and 4 bytes a character). */
function keys(): string[] {
  const out = ['', 'a', 'ab', 'abc', 'abcd', 'abcde', `case-${randomUUID()}`, `suspect-${randomUUID()}`, 'national-operating-model'];
  const alphabet = ['a', 'Z', '7', '-', 'é', 'ß', '€', '中', '😀', '\u0000', '\u007f', '\u0080', '\uffff'];
  for (let length = 0; length < 300; length++) {
    let key = '';
    for (let i = 0; i < length; i++) key += alphabet[(i * 7 + length) % alphabet.length];
    out.push(key);
  }
  for (let i = 0; i < 500; i++) out.push(`case-${randomUUID()}`);
  return out;
}

describe('keyPartition: the partition of a keyed record', () => {
  it('hashes as the Java client does (its own test vectors, UtilsTest.testMurmur2)', () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect([key, murmur2(key)]).toEqual([key, hash]);
  });

  it('is the partition kafkajs (and the Java client) gives the same key, whatever its length and characters', () => {
    const differing: string[] = [];
    for (const partitions of [1, 3, 6, 12, 50]) {
      for (const key of keys())
        if (keyPartition(key, partitions) !== kafkajsPartition(key, partitions)) differing.push(`${partitions}:${key}`);
    }
    expect(differing).toEqual([]);
  });
});
