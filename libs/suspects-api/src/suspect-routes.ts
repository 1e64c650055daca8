import { applyDecorators, Controller } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { DecisionContext } from '#platform';
import { HandleSuspectCommand, type SuspectRequest } from './suspect.cqrs.js';
import type { SuspectView } from './suspect.dto.js';

/** What every suspects controller is: `forces/:force/suspects`, documented alike (tag, bearer, the command headers). */
export function SuspectRoutes(): ClassDecorator {
  return applyDecorators(
    ApiTags('suspects'),
    ApiBearerAuth(),
    ApiParam({ name: 'force', description: "The caller's own force code" }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Makes a retried command safe: the first response is returned again.',
    }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The ETag last read; a stale one is a 409.' }),
    Controller('forces/:force/suspects'),
  );
}

/** Runs a suspect's command through the decision runner and answers its view, with its revision as the ETag. */
export async function handleSuspectCommand(
  commands: CommandBus,
  command: SuspectRequest,
  context: DecisionContext,
  response: Response,
): Promise<SuspectView> {
  const result = await commands.execute(new HandleSuspectCommand(command, context));
  response.setHeader('ETag', `"${result.revision}"`);
  return result;
}
