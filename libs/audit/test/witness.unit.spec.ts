import { parseWitness } from '../src/index.js';

describe(parseWitness.name, () => {
  const checkpoint = {
    log: 'access-log',
    type: 'nom.access-log.checkpoint.v1',
    position: '42',
    hash: 'ab'.repeat(32),
    signedAt: '2026-12-04T21:40:00.000Z',
    keyId: '0123456789abcdef',
    signature: 'cd'.repeat(64),
  };

  it('reads a JSON array, the checkpoints endpoint answer and JSON Lines alike', () => {
    expect(parseWitness(JSON.stringify([checkpoint]))).toEqual([checkpoint]);
    expect(parseWitness(JSON.stringify({ checkpoints: [checkpoint, checkpoint] }))).toEqual([checkpoint, checkpoint]);
    expect(parseWitness(`${JSON.stringify(checkpoint)}\n\n${JSON.stringify({ ...checkpoint, position: '43', extra: 1 })}\n`)).toEqual([
      checkpoint,
      { ...checkpoint, position: '43' },
    ]);
    expect(parseWitness('  \n')).toEqual([]);
  });

  it('names the item and the field that is not a checkpoint', () => {
    expect(() => parseWitness(JSON.stringify([checkpoint, { ...checkpoint, hash: 7 }]))).toThrow(
      'witness item 2: field hash must be a string',
    );
    expect(() => parseWitness(`${JSON.stringify(checkpoint)}\n"nope"`)).toThrow('witness line 2: not a checkpoint object');
  });
});
