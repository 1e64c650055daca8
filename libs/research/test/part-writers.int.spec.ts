import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CSV_HEADER, openPartWriter, toCloudEvent, toCsvLine, type ResearchRow } from '../src/index.js';

function row(seq: number, data = `{"n":${seq},"note":"é✓"}`): ResearchRow {
  return {
    seq,
    id: 'cWue-oM5a9vpYidjWb20BV',
    type: 'uk.police.nom.cases.investigator-assigned.v1',
    force: 'kent',
    stream: 'w0CK1bLlRMNh0WntQffOnm',
    revision: seq % 10,
    occurred: '2025-01',
    recorded: '2025-02',
    modelVersion: '2026.1',
    classification: 'OFFICIAL-SENSITIVE',
    actor: seq % 7 === 0 ? null : 'Qr6VkGK0Mha3F96G-1zq8v',
    correlationId: 'K_R5VpNH1nOLZnn41l7qkG',
    causationId: 'K_R5VpNH1nOLZnn41l7qkG',
    data,
  };
}

describe('text part writers (JSON Lines, CSV)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nom-part-writers-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every line in order through its reused buffers, a line longer than a buffer too, with its size and SHA-256', async () => {
    // About 5 MB: every buffer is filled and reused; one line of 1.2 million characters is longer than any buffer.
    const huge = JSON.stringify({ text: 'x'.repeat(1_200_000) });
    const rows = Array.from({ length: 16_000 }, (_, i) => row(i + 1, i === 9_000 ? huge : undefined));
    const path = join(dir, 'part.jsonl');
    const writer = openPartWriter('jsonl', path, 1000);
    for (let i = 0; i < rows.length; i += 250) await writer.write(rows.slice(i, i + 250));
    const finished = await writer.finish();
    const expected = Buffer.from(rows.map((r) => `${toCloudEvent(r)}\n`).join(''), 'utf8');
    const written = await readFile(path);
    expect(written.equals(expected)).toBe(true);
    expect(finished).toEqual({ bytes: expected.length, sha256: createHash('sha256').update(expected).digest('hex') });
  });

  it('writes the CSV header alone for a part with no rows, and its header before the rows otherwise', async () => {
    const empty = join(dir, 'empty.csv');
    const none = openPartWriter('csv', empty, 1000);
    await none.write([]);
    expect(await none.finish()).toMatchObject({ bytes: Buffer.byteLength(CSV_HEADER) });
    expect(await readFile(empty, 'utf8')).toBe(CSV_HEADER);

    const some = join(dir, 'some.csv');
    const writer = openPartWriter('csv', some, 1000);
    await writer.write([row(1), row(2)]);
    await writer.finish();
    expect(await readFile(some, 'utf8')).toBe(CSV_HEADER + toCsvLine(row(1)) + toCsvLine(row(2)));
  });

  it('stops without finishing (an interrupted run): the file is closed, whatever was still being written', async () => {
    const path = join(dir, 'abandoned.jsonl');
    const writer = openPartWriter('jsonl', path, 1000);
    await writer.write(Array.from({ length: 5_000 }, (_, i) => row(i + 1)));
    await writer.abandon();
    const text = await readFile(path, 'utf8');
    expect(text.length).toBeGreaterThan(0);
    expect(text.split('\n').slice(0, 2)).toEqual([toCloudEvent(row(1)), toCloudEvent(row(2))]);
  });
});
