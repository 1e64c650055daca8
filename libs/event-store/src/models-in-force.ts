import {
  BASELINE_MODEL,
  forceModelStreamId,
  LearningEventTypes as T,
  NATIONAL,
  NATIONAL_MODEL_STREAM_ID,
  type LearningEventData,
  type ModelInForce,
  type ModelRules,
  type RecordedEvent,
} from '#contracts';
import type { EventStore } from './event-store.port.js';

interface Published {
  readonly version: string;
  readonly rules: ModelRules;
  readonly publishedAt: string;
}

const ms = (instant: string): number => Date.parse(instant);

/**
 * Which version of the operating model was in force for a fact (ADR 0043): for a force, the last version it had
 * adopted at or before the instant the fact happened; before its first adoption, the baseline of this release.
 * For a national fact, the last version the national team had published by then. Published versions never change,
 * so their rules are kept once read; a force's adoptions are read for every decision (a stream of a few events),
 * so that an adoption counts from the next command in every service, with no cache to go stale.
 */
export class ModelsInForce {
  private readonly published = new Map<string, Published>();
  private order: Published[] = [];

  constructor(private readonly store: EventStore) {}

  async at(force: string, instant: string): Promise<ModelInForce> {
    if (force === NATIONAL) return this.nationalAt(instant);
    const adopted = await this.adoptedAt(force, instant);
    if (adopted === undefined) return BASELINE_MODEL;
    return { version: adopted, rules: await this.rulesOf(adopted) };
  }

  /**
   * Only the version in force, for a writer that decides nothing by the rules and stamps the version on what it
   * records (match disclosures, erasures, seal alerts): it does not need the version's rules to be readable.
   */
  async versionAt(force: string, instant: string): Promise<string> {
    if (force === NATIONAL) return (await this.nationalAt(instant)).version;
    return (await this.adoptedAt(force, instant)) ?? BASELINE_MODEL.version;
  }

  private async adoptedAt(force: string, instant: string): Promise<string | undefined> {
    let adopted: string | undefined;
    for await (const event of this.store.readStream(forceModelStreamId(force))) {
      if (event.type !== T.ModelVersionAdopted || event.metadata.force !== force) continue;
      const data = event.data as LearningEventData['ModelVersionAdopted'];
      if (ms(data.adoptedAt) <= ms(instant)) adopted = data.version;
    }
    return adopted;
  }

  /** A published version's rules (the baseline's for the baseline version); an unknown version is an error. */
  async rulesOf(version: string): Promise<ModelRules> {
    const known = this.published.get(version) ?? (await this.refresh()).get(version);
    if (known) return known.rules;
    if (version === BASELINE_MODEL.version) return BASELINE_MODEL.rules;
    throw new Error(`operating-model version ${version} is adopted but was never published`);
  }

  private async nationalAt(instant: string): Promise<ModelInForce> {
    await this.refresh();
    const latest = this.order.filter((p) => ms(p.publishedAt) <= ms(instant)).at(-1);
    return latest ? { version: latest.version, rules: latest.rules } : BASELINE_MODEL;
  }

  private async refresh(): Promise<Map<string, Published>> {
    const order: Published[] = [];
    for await (const event of this.store.readStream(NATIONAL_MODEL_STREAM_ID)) {
      const published = publishedOf(event);
      if (published) order.push(published);
    }
    this.order = order;
    for (const p of order) this.published.set(p.version, p);
    return this.published;
  }
}

function publishedOf(event: RecordedEvent): Published | undefined {
  if (event.type !== T.ModelVersionPublished || event.metadata.force !== NATIONAL) return undefined;
  const { version, rules, publishedAt } = event.data as LearningEventData['ModelVersionPublished'];
  return { version, rules, publishedAt };
}
