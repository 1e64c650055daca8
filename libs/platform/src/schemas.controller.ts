import { createHash } from 'node:crypto';
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CATALOGUE_VERSION, dataSchemaUri, EVENT_CATALOGUE, servedSchema } from '#contracts';
import { Public } from './auth.guard.js';
import type { BackboneConfig } from './config.js';
import { problem } from './problem.js';
import { BACKBONE_CONFIG } from './tokens.js';

/** A schema's representation: its bytes and their ETag, computed once per type (a published schema never changes). */
interface Served {
  readonly body: string;
  readonly etag: string;
}

/** Caches may keep a schema a day and revalidate it by ETag; a published version is never changed (ADR 0031). */
const CACHE_CONTROL = 'public, max-age=86400';

/**
 * The data schemas named by every record's `ce_dataschema` (ADR 0031): `GET /schemas` lists every event type and
 * version ever published with its URL, `GET /schemas/{type}` answers one JSON Schema (draft 2020-12). No token: they
 * describe the vocabulary and carry no data. Cacheable, with a strong ETag (If-None-Match answers 304).
 */
@ApiTags('schemas')
@Controller('schemas')
export class SchemasController {
  private readonly cache = new Map<string, Served>();

  constructor(@Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig) {}

  private send(request: Request, response: Response, served: Served, contentType: string): void {
    response.setHeader('ETag', served.etag);
    response.setHeader('Cache-Control', CACHE_CONTROL);
    response.setHeader('Content-Type', contentType);
    const match = request.headers['if-none-match'];
    if (match !== undefined && match.split(',').some((tag) => tag.trim() === served.etag || tag.trim() === '*')) {
      response.status(304).end();
      return;
    }
    response.status(200).send(served.body);
  }

  private served(key: string, make: () => object): Served {
    let served = this.cache.get(key);
    if (!served) {
      const body = JSON.stringify(make(), null, 2);
      served = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"` };
      this.cache.set(key, served);
    }
    return served;
  }

  @Get()
  @Public()
  @ApiOkResponse({ description: 'Every event type and version ever published, with the URL of its data schema.' })
  index(@Req() request: Request, @Res() response: Response): void {
    const served = this.served('', () => ({
      catalogueVersion: CATALOGUE_VERSION,
      schemas: EVENT_CATALOGUE.map((entry) => ({ type: entry.type, url: dataSchemaUri(entry.type, this.config.schemaBaseUrl) })),
    }));
    this.send(request, response, served, 'application/json');
  }

  @Get(':type')
  @Public()
  @ApiOkResponse({ description: 'The JSON Schema (draft 2020-12) of the data of one event type and version, as published on Kafka.' })
  @ApiNotFoundResponse({ description: 'No event type of that name and version was ever published.' })
  schema(@Param('type') type: string, @Req() request: Request, @Res() response: Response): void {
    const schema = servedSchema(type, this.config.schemaBaseUrl);
    if (!schema)
      throw problem(404, 'unknown-event-type', `No event type ${type} was ever published`, {
        errors: [{ field: '/type', reason: 'not in the catalogue' }],
      });
    this.send(
      request,
      response,
      this.served(type, () => schema),
      'application/schema+json',
    );
  }
}
