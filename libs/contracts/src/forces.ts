/**
 * The 43 territorial police forces of England and Wales (codes as in libs/contracts/data/forces.csv, the Home
 * Office list, with its source and date; a unit test keeps the two equal). The backbone uses the code as the
 * force's identity everywhere: stream ids, topics, consumer groups, schemas.
 */
export const FORCE_CODES = [
  'avon-somerset',
  'bedfordshire',
  'cambridgeshire',
  'cheshire',
  'city-of-london',
  'cleveland',
  'cumbria',
  'derbyshire',
  'devon-cornwall',
  'dorset',
  'durham',
  'dyfed-powys',
  'essex',
  'gloucestershire',
  'greater-manchester',
  'gwent',
  'hampshire',
  'hertfordshire',
  'humberside',
  'kent',
  'lancashire',
  'leicestershire',
  'lincolnshire',
  'merseyside',
  'metropolitan',
  'norfolk',
  'north-wales',
  'north-yorkshire',
  'northamptonshire',
  'northumbria',
  'nottinghamshire',
  'south-wales',
  'south-yorkshire',
  'staffordshire',
  'suffolk',
  'surrey',
  'sussex',
  'thames-valley',
  'warwickshire',
  'west-mercia',
  'west-midlands',
  'west-yorkshire',
  'wiltshire',
] as const;

export type ForceCode = (typeof FORCE_CODES)[number];

const forceSet: ReadonlySet<string> = new Set(FORCE_CODES);

export function isForceCode(value: unknown): value is ForceCode {
  return typeof value === 'string' && forceSet.has(value);
}

/** A force code as a PostgreSQL identifier fragment (`avon-somerset` -> `avon_somerset`). */
export function forceIdentifier(force: ForceCode): string {
  return force.replaceAll('-', '_');
}
