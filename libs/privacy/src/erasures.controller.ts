import { Body, Controller, Get, Header, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  deterministicUuid,
  PrivacyEventTypes,
  type ErasureReason,
  type ErasureSubjectType,
  type NewEvent,
  type SubjectErasedData,
} from '#contracts';
import { caseStreamId } from '#cases-domain';
import { ModelsInForce, type EventStore, type SubjectKeyStore } from '#event-store';
import { officerStreamId } from '#learning-domain';
import {
  Allow,
  BACKBONE_CONFIG,
  CommandContext,
  CurrentIdentity,
  EVENT_STORE,
  forceOf,
  IDEMPOTENCY_STORE,
  problem,
  requireOwnStream,
  Section62,
  SUBJECT_KEY_STORE,
  type BackboneConfig,
  type DecisionContext,
  type IdempotencyStore,
  type Identity,
} from '#platform';
import { suspectStreamId } from '#suspects-domain';
import { victimStreamId } from '#victims-domain';
import { EraseSubjectDto, ErasureView, SubjectKeyView } from './erasure.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ID = /^(case|victim|suspect|officer)-[A-Za-z0-9-]{2,100}$/;

/** The stream where a force's erasure of one subject is recorded (one per subject: a retry appends nothing). */
export const erasureStreamId = (erasureId: string): string => `privacy-erasure-${erasureId}`;

/**
 * Erasure without rewriting the log (ADR 0011): an administrator of the subject's force destroys the data keys
 * of the subject's streams (a victim: its stream and its case's stream, whose personal fields are about the
 * complainant; a suspect or an officer: its stream), then `subject-erased` is appended on the force's topic so
 * integrators delete their copies. Force integration teams fetch a stream's data key to decrypt what they
 * receive on Kafka, until the subject is erased.
 */
@ApiTags('privacy')
@ApiBearerAuth()
@ApiParam({ name: 'force', description: "The caller's own force code" })
@Controller('forces/:force')
export class ErasuresController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SUBJECT_KEY_STORE) private readonly keys: SubjectKeyStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
  ) {}

  /** The subject's streams (key ids) and case, once its own stream is known to be the caller's force's. */
  private async subjectKeys(
    subjectType: ErasureSubjectType,
    subjectId: string,
    identity: Identity,
  ): Promise<{ keyIds: string[]; caseId: string | null }> {
    if (subjectType !== 'officer' && !UUID.test(subjectId)) {
      throw problem(400, 'invalid-request', 'The request is invalid', {
        errors: [{ field: '/subjectId', reason: `must be a UUID for a ${subjectType}` }],
      });
    }
    const own =
      subjectType === 'victim'
        ? victimStreamId(subjectId)
        : subjectType === 'suspect'
          ? suspectStreamId(subjectId)
          : officerStreamId(forceOf(identity), subjectId);
    await requireOwnStream(this.store, own, identity);
    if (subjectType === 'officer') return { keyIds: [own], caseId: null };
    let caseId: string | null = null;
    for await (const event of this.store.readStream(own, { maxCount: 1 })) {
      const value = (event.data as { caseId?: unknown }).caseId;
      if (typeof value === 'string') caseId = value;
    }
    // A victim's case stream holds the complainant's personal data (ADR 0011): its key goes with the victim's.
    return { keyIds: subjectType === 'victim' && caseId ? [own, caseStreamId(caseId)] : [own], caseId };
  }

  @Post('erasures')
  @Allow('administrator')
  @Section62({ action: 'erase', purpose: 'data-protection' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes a retried command safe: the first response is returned again.',
  })
  @ApiCreatedResponse({ type: ErasureView, description: 'Erased now (201), or already erased before (200, the first erasure unchanged).' })
  async erase(
    @Body() body: EraseSubjectDto,
    @CommandContext() context: DecisionContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ErasureView> {
    const { identity } = context;
    const force = forceOf(identity);
    const { keyIds, caseId } = await this.subjectKeys(body.subjectType, body.subjectId, identity);
    const tombstones = await this.keys.erase(keyIds, {
      force,
      erasedBy: identity.officerId,
      reason: body.reason,
      ...(body.reference ? { reference: body.reference } : {}),
    });
    // Stored first responses may repeat the subject's personal data in clear (e.g. bail conditions).
    await this.idempotency.forgetResponsesNaming(force, [body.subjectId]);
    // The first tombstone of the subject's own stream is the erasure of record: a retry repeats it exactly.
    const first = tombstones[0]!;
    const erasureId = deterministicUuid(force, 'nom-erasure', body.subjectType, body.subjectId);
    const data: SubjectErasedData = {
      erasureId,
      subjectType: body.subjectType,
      subjectId: body.subjectId,
      caseId,
      keysDestroyed: keyIds,
      reason: first.reason as ErasureReason,
      reference: first.reference ?? null,
      erasedBy: first.erasedBy,
      erasedAt: first.erasedAt,
    };
    const modelVersion = await new ModelsInForce(this.store).versionAt(force, first.erasedAt);
    const event: NewEvent = {
      id: deterministicUuid(force, 'nom-erasure-event', erasureId),
      type: PrivacyEventTypes.SubjectErased,
      data,
      metadata: {
        force,
        occurredAt: first.erasedAt,
        correlationId: context.correlationId,
        causationId: context.causationId ?? context.correlationId,
        actor: first.erasedBy,
        modelVersion,
        classification: 'OFFICIAL-SENSITIVE',
      },
    };
    const appended = await this.store.append(erasureStreamId(erasureId), [event], 'any');
    response.status(appended.idempotentReplay ? 200 : 201);
    return { ...data, keysDestroyed: [...data.keysDestroyed], alreadyErased: appended.idempotentReplay };
  }

  @Get('subject-keys/:keyId')
  @Allow('force-integration')
  @Section62({ action: 'disclose', purpose: 'integration' })
  @Header('Cache-Control', 'no-store')
  @ApiParam({ name: 'keyId', description: 'A stream id as on the Kafka record (ce_subject), e.g. victim-<uuid>' })
  @ApiOkResponse({ type: SubjectKeyView, description: "The stream's data key; 410 once the subject is erased." })
  async subjectKey(@Param('keyId') keyId: string, @CurrentIdentity() identity: Identity): Promise<SubjectKeyView> {
    if (!KEY_ID.test(keyId)) throw problem(404, 'not-found', 'Not found');
    await requireOwnStream(this.store, keyId, identity);
    const key = (await this.keys.keysForReading([keyId])).get(keyId);
    if (!key) throw problem(404, 'not-found', 'Not found');
    if (key.state === 'erased')
      throw problem(410, 'subject-erased', "This person's personal data was erased: delete every copy of it and of its key");
    return {
      keyId,
      algorithm: 'AES-256-GCM',
      key: key.key.toString('base64url'),
      tokenFormat: 'nom-enc:v1:base64url(iv12|ciphertext|tag16); aad nom-enc:v1|<event id>|<json pointer>; plaintext JSON',
    };
  }
}
