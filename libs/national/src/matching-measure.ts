import type { MatchStrength, RepeatSuspectMatchedData } from '#contracts';

export interface MatchingScore {
  readonly truePairs: number;
  readonly emittedPairs: number;
  readonly truePositives: number;
  readonly precision: number;
  readonly recall: number;
}

export interface MatchingMeasure extends MatchingScore {
  /** Cumulative by strength: `definite` only, `definite` + `probable`, all (= the top-level figures). */
  readonly atLeast: Readonly<Record<MatchStrength, MatchingScore>>;
}

const pairKey = (a: string, b: string): string => [a, b].sort().join('|');

/** The pairs of suspects (in different cases) who are the same person: the ground truth of a simulation. */
export function truePairs(personOf: ReadonlyMap<string, string>): Set<string> {
  const bySuspect = new Map<string, string[]>();
  for (const [suspectId, personId] of personOf) bySuspect.set(personId, [...(bySuspect.get(personId) ?? []), suspectId]);
  const pairs = new Set<string>();
  for (const suspects of bySuspect.values()) {
    for (let i = 0; i < suspects.length; i++) for (let j = i + 1; j < suspects.length; j++) pairs.add(pairKey(suspects[i]!, suspects[j]!));
  }
  return pairs;
}

function score(truth: ReadonlySet<string>, emitted: ReadonlySet<string>): MatchingScore {
  const truePositives = [...emitted].filter((p) => truth.has(p)).length;
  return {
    truePairs: truth.size,
    emittedPairs: emitted.size,
    truePositives,
    precision: emitted.size === 0 ? 1 : truePositives / emitted.size,
    recall: truth.size === 0 ? 1 : truePositives / truth.size,
  };
}

/**
 * Precision and recall of the matches the index found (each force's copy counted once, by pair) against the ground
 * truth `suspectId -> personId`. The index's matches, not the disclosed events: a match is disclosed only after a
 * lawful trigger (match-disclosure.ts), which measures the investigations, not the matching.
 */
export function measureMatching(
  personOf: ReadonlyMap<string, string>,
  matches: Iterable<Pick<RepeatSuspectMatchedData, 'suspect' | 'matchedSuspect' | 'strength'>>,
): MatchingMeasure {
  const truth = truePairs(personOf);
  const strengths = new Map<string, MatchStrength>();
  for (const data of matches) {
    strengths.set(pairKey(data.suspect.suspectId, data.matchedSuspect.suspectId), data.strength);
  }
  const upTo = (allowed: readonly MatchStrength[]): Set<string> =>
    new Set([...strengths].filter(([, s]) => allowed.includes(s)).map(([p]) => p));
  return {
    ...score(truth, upTo(['definite', 'probable', 'possible'])),
    atLeast: {
      definite: score(truth, upTo(['definite'])),
      probable: score(truth, upTo(['definite', 'probable'])),
      possible: score(truth, upTo(['definite', 'probable', 'possible'])),
    },
  };
}
