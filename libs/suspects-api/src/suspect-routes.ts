import type { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { CommandRoutes, type DecisionContext } from '#platform';
import { HandleSuspectCommand, type SuspectRequest } from './suspect.cqrs.js';
import type { SuspectView } from './suspect.dto.js';

/** What every suspects controller is: `forces/:force/suspects`, documented alike (tag, bearer, the command headers). */
export function SuspectRoutes(): ClassDecorator {
  return CommandRoutes('suspects', 'forces/:force/suspects');
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
