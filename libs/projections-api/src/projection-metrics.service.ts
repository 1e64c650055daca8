import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { NATIONAL } from '#contracts';
import { BACKBONE_CONFIG, collectedGauge, type BackboneConfig } from '#platform';
import { ProjectionMetrics } from './projection-metrics.js';
import { ProjectorService } from './projector.service.js';

type LagLabels = 'force' | 'read_model' | 'version' | 'status';
interface Sample<L extends string> {
  readonly labels: Record<L, string>;
  readonly value: number;
}
interface Snapshot {
  readonly eventsBehind: Sample<LagLabels>[];
  readonly secondsBehind: Sample<LagLabels>[];
  readonly deadLetters: Sample<'force'>[];
  readonly readerDeadLetters: Sample<'reader'>[];
  readonly consumerLag: Sample<'force'>[];
}

/**
 * Projection lag and dead letters in the process's Prometheus registry (ADR 0038), collected every
 * NOM_METRICS_REFRESH_MS and served from memory: a scrape costs no query (issue 12, item 8). Labels are force
 * codes, read model names and reader names, never a case or a person.
 */
@Injectable()
export class ProjectionMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private metrics?: ProjectionMetrics;
  private snapshot: Snapshot = { eventsBehind: [], secondsBehind: [], deadLetters: [], readerDeadLetters: [], consumerLag: [] };

  constructor(
    private readonly projectors: ProjectorService,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.metricsToken) return;
    const metrics = new ProjectionMetrics(() => this.collect(), this.config.metricsRefreshMs);
    this.metrics = metrics;
    const lagLabels: LagLabels[] = ['force', 'read_model', 'version', 'status'];
    // The first scrape waits for the first collection; later ones read the last snapshot.
    const gauge = <L extends string>(name: string, help: string, labels: L[], pick: (s: Snapshot) => Sample<L>[]): void => {
      collectedGauge(name, help, labels, async (set) => {
        await metrics.scrape();
        for (const sample of pick(this.snapshot)) set(sample.labels, sample.value);
      });
    };
    gauge('nom_projection_events_behind', 'Events of the force log a read model build has not taken in.', lagLabels, (s) => s.eventsBehind);
    gauge(
      'nom_projection_seconds_behind',
      'Age of the oldest event a read model build has not taken in.',
      lagLabels,
      (s) => s.secondsBehind,
    );
    gauge('nom_projection_dead_letters', 'Unresolved dead letters of a force.', ['force'], (s) => s.deadLetters);
    gauge(
      'nom_kafka_consumer_lag_records',
      "Records on a force's topic after its projector group's committed offsets (Kafka's view).",
      ['force'],
      (s) => s.consumerLag,
    );
    gauge(
      'nom_reader_dead_letters',
      'Events a reader of the log could not take and passed (dead letters), by reader.',
      ['reader'],
      (s) => s.readerDeadLetters,
    );
    collectedGauge('nom_metrics_refresh_failed', 'The last refresh of the projection metrics failed (1) or not (0).', [], async (set) => {
      set({}, (await metrics.scrape()).length > 0 ? 1 : 0);
    });
  }

  onApplicationShutdown(): void {
    this.metrics?.stop();
  }

  /** Reads the read models once; the text returned is only the refresh-failed marker's input (empty: fine). */
  private async collect(): Promise<string> {
    const next: Snapshot = { eventsBehind: [], secondsBehind: [], deadLetters: [], readerDeadLetters: [], consumerLag: [] };
    const lag = (
      force: string,
      l: { readModel: string; version: number; status: string; eventsBehind: number; secondsBehind: number },
    ): void => {
      const labels = { force, read_model: l.readModel, version: String(l.version), status: l.status };
      next.eventsBehind.push({ labels, value: l.eventsBehind });
      next.secondsBehind.push({ labels, value: l.secondsBehind });
    };
    for (const { force } of this.projectors.forces()) {
      const projector = this.projectors.projectorOf(force);
      for (const l of await projector.lag()) lag(force, l);
      next.deadLetters.push({ labels: { force }, value: (await projector.deadLetters()).length });
      // The broker away must not fail the whole refresh (the read models' lag above is still worth serving).
      const consumerLag = await this.projectors.consumerLag(force).catch(() => undefined);
      if (consumerLag !== undefined) next.consumerLag.push({ labels: { force }, value: consumerLag });
    }
    // The national read models (one tail of the whole log), labelled force="national".
    for (const l of await this.projectors.national().lag()) lag(NATIONAL, l);
    for (const [reader, count] of await this.projectors.readerDeadLetters())
      next.readerDeadLetters.push({ labels: { reader }, value: count });
    this.snapshot = next;
    return '';
  }
}
