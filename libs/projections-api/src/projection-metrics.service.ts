import { Controller, Get, Header, Inject, Injectable, Req, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { NATIONAL } from '#contracts';
import { BACKBONE_CONFIG, problem, Public, type BackboneConfig } from '#platform';
import { metricsTokenAccepts, ProjectionMetrics } from './projection-metrics.js';
import { ProjectorService } from './projector.service.js';

const label = (value: string): string => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"');

/**
 * The Prometheus text of projection lag, collected every NOM_METRICS_REFRESH_MS and served from memory: a scrape
 * costs no query (issue 12, item 8). Only force codes, read model names and counts, never a case or a person.
 */
@Injectable()
export class ProjectionMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private metrics?: ProjectionMetrics;

  constructor(
    private readonly projectors: ProjectorService,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.metricsToken) this.metrics = new ProjectionMetrics(() => this.collect(), this.config.metricsRefreshMs);
  }

  onApplicationShutdown(): void {
    this.metrics?.stop();
  }

  scrape(): Promise<string> | undefined {
    return this.metrics?.scrape();
  }

  private async collect(): Promise<string> {
    const lines = [
      '# HELP nom_projection_events_behind Events of the force log a read model build has not taken in.',
      '# TYPE nom_projection_events_behind gauge',
    ];
    const seconds = ['# HELP nom_projection_seconds_behind Age of the oldest event a read model build has not taken in.', '# TYPE nom_projection_seconds_behind gauge'];
    const dead = ['# HELP nom_projection_dead_letters Unresolved dead letters of a force.', '# TYPE nom_projection_dead_letters gauge'];
    for (const { force } of this.projectors.forces()) {
      const projector = this.projectors.projectorOf(force);
      for (const l of await projector.lag()) {
        const labels = `force="${label(force)}",read_model="${label(l.readModel)}",version="${l.version}",status="${l.status}"`;
        lines.push(`nom_projection_events_behind{${labels}} ${l.eventsBehind}`);
        seconds.push(`nom_projection_seconds_behind{${labels}} ${l.secondsBehind}`);
      }
      dead.push(`nom_projection_dead_letters{force="${label(force)}"} ${(await projector.deadLetters()).length}`);
    }
    // The national read models (one tail of the whole log), labelled force="national".
    for (const l of await this.projectors.national().lag()) {
      const labels = `force="${NATIONAL}",read_model="${label(l.readModel)}",version="${l.version}",status="${l.status}"`;
      lines.push(`nom_projection_events_behind{${labels}} ${l.eventsBehind}`);
      seconds.push(`nom_projection_seconds_behind{${labels}} ${l.secondsBehind}`);
    }
    // Every reader of the log that records what it cannot take (relay, national projector, process managers,
    // national views, sealer, research exports): one table, counted by reader.
    const readers = [
      '# HELP nom_reader_dead_letters Events a reader of the log could not take and passed (dead letters), by reader.',
      '# TYPE nom_reader_dead_letters gauge',
    ];
    for (const [reader, count] of await this.projectors.readerDeadLetters()) {
      readers.push(`nom_reader_dead_letters{reader="${label(reader)}"} ${count}`);
    }
    return `${[...lines, ...seconds, ...dead, ...readers].join('\n')}\n`;
  }
}

/**
 * /metrics for the scraper only: not a user route (no JWT, no role), but the bearer token NOM_METRICS_TOKEN,
 * compared in constant time; without that setting /metrics is not served at all (404).
 */
@ApiTags('projections')
@Controller('metrics')
export class ProjectionMetricsController {
  constructor(
    private readonly metrics: ProjectionMetricsService,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiBearerAuth()
  async metricsText(@Req() request: Request): Promise<string> {
    const token = this.config.metricsToken;
    if (!token) throw problem(404, 'not-found', 'Not found');
    // Checked before anything is collected: a caller without the token costs nothing.
    if (!metricsTokenAccepts(request.headers.authorization, token)) throw problem(401, 'unauthenticated', 'The scraper token (NOM_METRICS_TOKEN) is required');
    const text = this.metrics.scrape();
    if (!text) throw problem(404, 'not-found', 'Not found');
    return text;
  }
}

