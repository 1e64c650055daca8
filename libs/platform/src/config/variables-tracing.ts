import { z } from 'zod';
import { oneOf, PROCESSES, text, textOr, variable } from './variable.js';

/** An http(s) URL, or absent. */
function url(): z.ZodType<string | undefined> {
  return text().refine((raw) => raw === undefined || /^https?:\/\/[^\s]+$/.test(raw), 'must be an http:// or https:// URL');
}

/**
 * OpenTelemetry traces (ADR 0039): the standard `OTEL_*` variables this backbone honours. Off by default: no SDK
 * starts unless an OTLP endpoint is set (and OTEL_TRACES_EXPORTER is not `none`, OTEL_SDK_DISABLED not `true`).
 */
export const TRACING_VARIABLES = {
  OTEL_SDK_DISABLED: variable({
    schema: oneOf(['true', 'false'], 'false'),
    default: '`false`',
    services: PROCESSES,
    secret: false,
    description: '`true` starts no OpenTelemetry SDK even when an endpoint is set',
  }),
  OTEL_TRACES_EXPORTER: variable({
    schema: oneOf(['otlp', 'none'], 'otlp'),
    default: '`otlp`',
    services: PROCESSES,
    secret: false,
    description: '`otlp` (traces go to the OTLP endpoint, when one is set) or `none`',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: variable({
    schema: url(),
    default: '– (tracing off)',
    services: PROCESSES,
    secret: false,
    description: 'OTLP/HTTP collector base URL; traces go to `<endpoint>/v1/traces`. Setting it turns tracing on',
    example: 'http://127.0.0.1:4318',
  }),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: variable({
    schema: url(),
    default: '–',
    services: PROCESSES,
    secret: false,
    description: 'full OTLP/HTTP traces URL, used as is (overrides OTEL_EXPORTER_OTLP_ENDPOINT); setting it turns tracing on',
  }),
  OTEL_EXPORTER_OTLP_PROTOCOL: variable({
    schema: oneOf(['http/json'], 'http/json'),
    default: '`http/json`',
    services: PROCESSES,
    secret: false,
    description: 'OTLP transport: `http/json` only (the exporter this backbone ships)',
  }),
  OTEL_EXPORTER_OTLP_HEADERS: variable({
    schema: text(),
    default: '–',
    services: PROCESSES,
    secret: true,
    description: 'headers sent to the collector, `key=value` comma-separated (e.g. an API key)',
  }),
  OTEL_SERVICE_NAME: variable({
    schema: textOr('nom-backbone'),
    default: '`nom-backbone`',
    services: PROCESSES,
    secret: false,
    description: 'service.name of the spans (set one per service: `nom-relay`, `nom-projector`, …)',
  }),
} as const;
