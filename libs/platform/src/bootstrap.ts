import { Logger, Module, type DynamicModule, type INestApplication, type ModuleMetadata, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { Logger as PinoLogger } from 'nestjs-pino';
import { LOG_LEVELS, type LogLevel } from './config.js';
import { HealthController } from './health.controller.js';
import { configureHttpApp, HTTP_APP_PROVIDERS } from './http-app.js';
import { enableRuntimeMetrics, MetricsController } from './metrics.js';
import { InfrastructureModule, type Infrastructure } from './infrastructure.js';
import { SchemasController } from './schemas.controller.js';
import { loggingModule, type LoggingOptions } from './logging.js';

@Module({})
class BackboneAppModule {}

/** The root module of an app: infrastructure, the app's own modules, health, the data schemas, auth guard and problem filter. */
export function appModule(
  infrastructure: Infrastructure,
  metadata: Pick<ModuleMetadata, 'imports' | 'controllers' | 'providers'>,
): DynamicModule {
  enableRuntimeMetrics();
  return {
    module: BackboneAppModule,
    imports: [InfrastructureModule.forRoot(infrastructure), TerminusModule.forRoot({ logger: false }), ...(metadata.imports ?? [])],
    controllers: [HealthController, SchemasController, MetricsController, ...(metadata.controllers ?? [])],
    providers: [...HTTP_APP_PROVIDERS, ...(metadata.providers ?? [])],
  };
}

/** NOM_LOG_LEVEL (default `log`): that level and everything more severe. */
function logLevels(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}

/** How an app logs besides its level (NOM_LOG_LEVEL): pretty lines (the quick start), or JSON to a given stream (tests). */
export type HttpAppLogging = Omit<LoggingOptions, 'level'>;

/** Creates and configures an HTTP app; `close()` it, then the infrastructure. */
export async function createHttpApp(
  title: string,
  infrastructure: Infrastructure,
  imports: (Type | DynamicModule)[],
  extra: Pick<ModuleMetadata, 'controllers' | 'providers'> = {},
  logging: HttpAppLogging = {},
): Promise<INestApplication> {
  const level = infrastructure.config.logLevel;
  const app = await NestFactory.create(
    appModule(infrastructure, { imports: [loggingModule({ level, ...logging }), ...imports], ...extra }),
    {
      logger: logLevels(level),
      bufferLogs: true,
      bodyParser: false,
    },
  );
  // Every Nest Logger of the process (kafkajs's too: kafkaLogCreator) writes JSON lines through pino from here on.
  app.useLogger(app.get(PinoLogger));
  configureHttpApp(app, { title, bodyLimitBytes: infrastructure.config.bodyLimitBytes });
  return app;
}

/** Closes the app (lifecycle hooks: relay and projectors stop), then the infrastructure, on SIGTERM/SIGINT. */
export function closeOnSignals(
  app: INestApplication,
  infrastructure: Infrastructure,
  after: () => Promise<void> = () => Promise.resolve(),
): void {
  const logger = new Logger('shutdown');
  let closing = false;
  const close = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: closing`);
    app
      .close()
      .then(() => infrastructure.close())
      .then(after)
      .catch((error: unknown) => logger.error(String(error)))
      .finally(() => process.exit());
  };
  process.once('SIGTERM', () => close('SIGTERM'));
  process.once('SIGINT', () => close('SIGINT'));
}
