import { lagRecord, loadBuilds, type ReadModelLag } from '../builds.js';
import { passOver, type ForceRuntime } from './force-runtime.js';

/**
 * How far each read model's builds (live and building) are behind the force's log: events the store holds for
 * the force that the build has not taken in, and for how long the oldest of them has waited (0 when none).
 */
export async function forceLag(rt: ForceRuntime, now: Date): Promise<ReadModelLag[]> {
  const store = rt.store;
  if (!store) throw new Error('projection lag needs the event store (ForceProjectorOptions.store)');
  const builds = await loadBuilds(rt.dataSource.manager, rt.schema, `status IN ('live', 'building')`);
  const [head, total] = await Promise.all([store.headPosition(rt.force), store.countEvents({ force: rt.force })]);
  const out: ReadModelLag[] = [];
  for (const build of builds) {
    const eventsBehind = Math.max(0, total - build.appliedEvents);
    let oldest: string | null = null;
    if (eventsBehind > 0) {
      const next = store.readAll({ force: rt.force, fromPosition: build.appliedPosition, maxCount: 1, onUndecodable: passOver });
      for await (const event of next) oldest = event.recordedAt;
    }
    const since = eventsBehind > 0 ? (oldest ?? build.appliedEventAt) : null;
    out.push(lagRecord(build, rt.readModels.get(build.readModel)?.version !== build.codeVersion, head, eventsBehind, since, now));
  }
  return out;
}
