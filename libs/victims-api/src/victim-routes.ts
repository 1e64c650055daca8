import { applyDecorators } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { CommandRoutes, Section62, type DecisionContext } from '#platform';
import { HandleVictimCommand, type VictimRequest } from './victim.cqrs.js';
import type { VictimView } from './victim.dto.js';

/**
 * What every victims controller is: its path, documented alike (tag, bearer, the command headers), every route
 * logged in the Section 62 access log for victim care.
 */
export function VictimRoutes(path: string, options: { readonly ifMatch: boolean }): ClassDecorator {
  return applyDecorators(CommandRoutes('victims', path, options), Section62({ purpose: 'victim-care' }));
}

/**
 * Runs one victim command and sets the ETag (the stream revision). Victims' Code duties are measured against when
 * things are recorded, so every victim command takes its time from the server clock: an update cannot be back-dated
 * into its deadline.
 */
export async function handleVictimCommand(
  commands: CommandBus,
  command: VictimRequest,
  context: DecisionContext,
  response: Response,
): Promise<VictimView> {
  const result = await commands.execute(new HandleVictimCommand(command, context));
  response.setHeader('ETag', `"${result.revision}"`);
  return result;
}
