import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';

/**
 * What every command controller of a force's context is, documented alike: its OpenAPI tag, under `path`, for the
 * caller's own force, bearer-authenticated, with the command headers (Idempotency-Key, and If-Match where its
 * commands are decided against a revision).
 */
export function CommandRoutes(tag: string, path: string, options: { readonly ifMatch?: boolean } = {}): ClassDecorator {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiParam({ name: 'force', description: "The caller's own force code" }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Makes a retried command safe: the first response is returned again.',
    }),
    ...(options.ifMatch === false
      ? []
      : [ApiHeader({ name: 'If-Match', required: false, description: 'The revision (ETag) last read; a stale one is a 409.' })]),
    Controller(path),
  );
}
