import { ArgumentsHost, Catch, Inject, Logger, Optional, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { AccessLog } from '#audit';
import { toProblem } from './problem.js';
import { accessLogUnavailable, logRefusal } from './section62.js';
import { ACCESS_LOG } from './tokens.js';

/**
 * Answers every error as problem+json. A refused or failed request is first logged in the Section 62 access log
 * (an attempt is evidence too); if that entry cannot be written, the answer is 503.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('problem');

  constructor(@Optional() @Inject(ACCESS_LOG) private readonly accessLog?: AccessLog) {}

  catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const response = host.switchToHttp().getResponse<Response>();
    const problemBody = toProblem(error);
    if (problemBody.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return logRefusal(this.accessLog, host.switchToHttp().getRequest(), problemBody.status).then((status) => {
      const body = status === problemBody.status ? problemBody : accessLogUnavailable().problem;
      // A problem answer carries nothing a handler set before failing (a revision ETag, a Location naming an id).
      for (const header of ['etag', 'location']) response.removeHeader(header);
      response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
    });
  }
}
