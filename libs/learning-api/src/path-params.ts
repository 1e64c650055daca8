import { Injectable, type PipeTransform } from '@nestjs/common';
import { ACCREDITATION_PROGRAMMES, type AccreditationProgramme } from '#contracts';
import { problem } from '#platform';
import { MODEL_VERSION } from './operating-model.dto.js';

/** A path parameter checked like a body field: 400 problem+json naming it, with the reason. */
@Injectable()
class PathParamPipe<T extends string> implements PipeTransform<string, T> {
  constructor(
    private readonly name: string,
    private readonly valid: (value: string) => boolean,
    private readonly reason: string,
  ) {}

  transform(value: string): T {
    if (!this.valid(value)) {
      throw problem(400, 'invalid-request', 'The request is invalid', { errors: [{ field: `/${this.name}`, reason: this.reason }] });
    }
    return value as T;
  }
}

const OFFICER_ID = /^[A-Za-z0-9-]{2,32}$/;

export const officerIdPipe = new PathParamPipe<string>(
  'officerId',
  (v) => OFFICER_ID.test(v),
  'officerId must be 2-32 letters, digits or "-"',
);
export const programmePipe = new PathParamPipe<AccreditationProgramme>(
  'programme',
  (v) => (ACCREDITATION_PROGRAMMES as readonly string[]).includes(v),
  `programme must be one of ${ACCREDITATION_PROGRAMMES.join(', ')}`,
);
export const versionPipe = new PathParamPipe<string>(
  'version',
  (v) => MODEL_VERSION.test(v),
  'version must be a version of the form <year>.<release>, e.g. 2026.1',
);
