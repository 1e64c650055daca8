import { Param, ParseUUIDPipe } from '@nestjs/common';
import { CommandRoutes } from '#platform';

/** A case command controller under `path`: the caller's force, bearer auth, and the command headers every route takes. */
export function CaseCommandsController(path: string): ClassDecorator {
  return CommandRoutes('cases', path);
}

/** The case id of the path, a UUID (else 400). */
export const CaseId = (): ParameterDecorator => Param('caseId', new ParseUUIDPipe());

/** A UUID path parameter (else 400): the path's ids below a case (an extraction, a third-party request, an action). */
export const UuidParam = (name: string): ParameterDecorator => Param(name, new ParseUUIDPipe());

/** The device extraction id of the path. */
export const ExtractionId = (): ParameterDecorator => UuidParam('extractionId');
