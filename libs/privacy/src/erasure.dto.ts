import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { OptionalField } from '#platform';
import { ERASURE_REASONS, ERASURE_SUBJECT_TYPES, type ErasureReason, type ErasureSubjectType } from '#contracts';
import { References } from '#platform';

/** An erasure decision. Force, officer and dates come from the token and the clock, never from the body. */
export class EraseSubjectDto {
  @ApiProperty({ enum: ERASURE_SUBJECT_TYPES })
  @IsIn(ERASURE_SUBJECT_TYPES)
  subjectType!: ErasureSubjectType;

  @ApiProperty({
    description: 'Victim or suspect id (UUID), or officer id (collar/warrant reference).',
    example: '9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{2,64}$/, { message: 'must be an id (2-64 letters, digits or -)' })
  @References((body) => (body['subjectType'] === 'victim' || body['subjectType'] === 'suspect' ? body['subjectType'] : undefined))
  subjectId!: string;

  @ApiProperty({ enum: ERASURE_REASONS, description: 'The lawful ground (DPA 2018 Part 3).' })
  @IsIn(ERASURE_REASONS)
  reason!: ErasureReason;

  @ApiPropertyOptional({ description: "The force's own reference of the decision.", example: 'AS-DP-2027-0142' })
  @OptionalField()
  @IsString()
  @Matches(/^[A-Za-z0-9 ./_-]{1,100}$/, { message: 'must be 1-100 letters, digits, spaces or . / _ -' })
  reference?: string;
}

export class ErasureView {
  @ApiProperty() erasureId!: string;
  @ApiProperty({ enum: ERASURE_SUBJECT_TYPES }) subjectType!: ErasureSubjectType;
  @ApiProperty() subjectId!: string;
  @ApiProperty({ nullable: true, type: String }) caseId!: string | null;
  @ApiProperty({ type: [String], description: 'Key ids (stream ids) whose data keys were destroyed.' }) keysDestroyed!: string[];
  @ApiProperty({ enum: ERASURE_REASONS }) reason!: ErasureReason;
  @ApiProperty({ nullable: true, type: String }) reference!: string | null;
  @ApiProperty() erasedBy!: string;
  @ApiProperty() erasedAt!: string;
  @ApiProperty({ description: 'True when the subject had already been erased: this is the first erasure, unchanged.' })
  alreadyErased!: boolean;
}

export class SubjectKeyView {
  @ApiProperty({ example: 'victim-9b2e4c1d-7a5f-4e3b-8c6d-2f1a0b9c8d7e' }) keyId!: string;
  @ApiProperty({ example: 'AES-256-GCM' }) algorithm!: string;
  @ApiProperty({ description: 'The 32-byte data key, base64url. Delete it (and all clear copies) when the subject is erased.' })
  key!: string;
  @ApiProperty({
    description:
      'How a personal field is encrypted: the value is the string `nom-enc:v1:` + base64url(iv 12 bytes | ciphertext | tag 16 bytes); ' +
      "additional authenticated data `nom-enc:v1|<event id>|<JSON pointer of the field>`; the plaintext is the field's JSON value.",
  })
  tokenFormat!: string;
}
