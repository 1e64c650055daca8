import { IsNull, type EntityManager } from 'typeorm';
import type { ConsumedRecord } from '#messaging';
import { eventFromJson } from '../builds.js';
import { DeadLetter } from '../processed-event.entity.js';
import { applyToBuild, DeadLetterNotFoundError, liveTransaction, ReadModelApplyError, type ForceRuntime } from './force-runtime.js';
import type { LiveConsumer } from './live-consumer.js';

export interface RetryOutcome {
  readonly id: string;
  readonly resolved: boolean;
  readonly reason?: string;
}

/** A force's unresolved dead letters (ADR 0022), and their retry through the current code. */
export class ForceDeadLetters {
  constructor(
    private readonly rt: ForceRuntime,
    private readonly live: LiveConsumer,
  ) {}

  /** Unresolved dead letters, oldest first. */
  list(): Promise<DeadLetter[]> {
    return this.rt.dataSource.getRepository(DeadLetter).find({ where: { resolvedAt: IsNull() }, order: { failedAt: 'ASC', id: 'ASC' } });
  }

  /**
   * Retries a dead letter through the current code: a poison record is decoded and validated again, then applied
   * like a live record (to every live build); a read model's failure is applied again to that read model's live
   * build only. Success marks it resolved; failure keeps it, with the new reason.
   */
  async retry(id: string): Promise<RetryOutcome> {
    const { dataSource, schema } = this.rt;
    const letter = /^[0-9]{1,18}$/.test(id)
      ? await dataSource.getRepository(DeadLetter).findOne({ where: { id, resolvedAt: IsNull() } })
      : null;
    if (!letter) throw new DeadLetterNotFoundError(id);
    const fail = async (reason: string): Promise<RetryOutcome> => {
      await dataSource.query(`UPDATE ${schema}.dead_letters SET reason = $2, attempts = attempts + 1, failed_at = now() WHERE id = $1`, [
        id,
        reason,
      ]);
      return { id, resolved: false, reason };
    };
    const resolve = (em: EntityManager): Promise<unknown> =>
      em.query(`UPDATE ${schema}.dead_letters SET resolved_at = now(), attempts = attempts + 1 WHERE id = $1`, [id]);
    if (letter.readModel === null) {
      const record: ConsumedRecord = {
        topic: letter.topic ?? this.rt.topic,
        partition: letter.partition ?? 0,
        offset: letter.offset ?? '0',
        key: null,
        value: letter.value === null ? null : Buffer.from(letter.value, 'utf8'),
        headers: letter.headers ?? {},
      };
      const decoded = this.live.decode(record);
      if ('reason' in decoded) return fail(decoded.reason);
      try {
        await liveTransaction(this.rt, async (em, builds) => {
          await this.live.claimAndApply(em, builds, [{ event: decoded, record }], false);
          await resolve(em);
        });
      } catch (error) {
        if (!(error instanceof ReadModelApplyError)) throw error;
        return fail(error.message);
      }
      return { id, resolved: true };
    }
    const model = this.rt.readModels.get(letter.readModel);
    if (!model || !letter.event) return fail(`read model ${letter.readModel} is not run by this projector`);
    const event = eventFromJson(letter.event);
    try {
      await liveTransaction(this.rt, async (em, builds) => {
        const build = builds.find((b) => b.readModel === model.name);
        if (!build) throw new Error(`read model ${model.name} has no live build`);
        await applyToBuild(this.rt, em, model, build.version, [{ event }], false);
        await resolve(em);
      });
    } catch (error) {
      return fail(error instanceof ReadModelApplyError ? error.message : (error as Error).message);
    }
    return { id, resolved: true };
  }
}
