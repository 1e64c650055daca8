// The evidence-and-court vocabulary (issue 13, docs/evidence-and-court.md): the victim's evidence (ABE interview,
// forensic medical examination, special measures, section 28) and the court stages of a charged suspect.

import type { SpecialMeasure } from './victims.vocabulary.js';

/** The sections of YJCEA 1999 that provide a special measure. */
export const SPECIAL_MEASURE_SECTION_NUMBERS = ['s23', 's24', 's25', 's26', 's27', 's28', 's29', 's30'] as const;
export type SpecialMeasureSection = (typeof SPECIAL_MEASURE_SECTION_NUMBERS)[number];

/**
 * Youth Justice and Criminal Evidence Act 1999: the section that provides each special measure (ss23-30). Section 28
 * (pre-recorded cross-examination) needs a video-recorded evidence in chief admitted under s27 (s28(1)).
 */
export const SPECIAL_MEASURE_SECTIONS: Readonly<Record<SpecialMeasure, SpecialMeasureSection>> = {
  screens: 's23',
  'live-link': 's24',
  'evidence-in-private': 's25',
  'removal-of-wigs-and-gowns': 's26',
  'video-recorded-evidence-in-chief': 's27',
  'pre-recorded-cross-examination': 's28',
  intermediary: 's29',
  'communication-aids': 's30',
};

/**
 * Why a witness is eligible for special measures (YJCEA 1999): s16(1)(a) under 18 at the time of the hearing;
 * s16(1)(b) a mental disorder, impairment of intelligence and social functioning, or physical disability or disorder;
 * s17(1) fear or distress about testifying; s17(4) the complainant of a sexual offence (eligible unless they tell the
 * court they do not wish to be).
 */
export const SPECIAL_MEASURES_ELIGIBILITY = [
  's16-1-a-under-18',
  's16-1-b-incapacity',
  's17-1-fear-or-distress',
  's17-4-sexual-offence-complainant',
] as const;
export type SpecialMeasuresEligibility = (typeof SPECIAL_MEASURES_ELIGIBILITY)[number];

/** Where a forensic medical examination takes place: a SARC (NHS England commissioned), or a paediatric service. */
export const SARC_KINDS = ['adult-sarc', 'paediatric-sarc', 'all-age-sarc', 'hospital-forensic-service'] as const;
export type SarcKind = (typeof SARC_KINDS)[number];

/** What the victim consented to at the examination (each is asked separately: NHS England SARC specification). */
export const FORENSIC_CONSENTS = ['examination', 'forensic-samples', 'sample-retention', 'share-findings-with-police'] as const;
export type ForensicConsent = (typeof FORENSIC_CONSENTS)[number];

/** Where the suspect's case is heard. A rape is indictable only: sent from the magistrates' to the Crown Court. */
export const COURT_KINDS = ['magistrates', 'crown'] as const;
export type CourtKind = (typeof COURT_KINDS)[number];

/**
 * The result of one count (charge) of the indictment: a guilty plea (no trial needed for it), convicted or acquitted
 * by the jury (or the magistrates), or no verdict because the jury could not agree (a retrial may follow).
 */
export const VERDICTS = ['guilty-plea', 'convicted', 'acquitted', 'hung-jury'] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * How the CPS stopped the prosecution: a notice of discontinuance (Prosecution of Offences Act 1985 s23, in the
 * magistrates' court; s23A, a case sent to the Crown Court before the indictment is preferred), or offering no
 * evidence in the Crown Court (a not guilty verdict is entered, Criminal Justice Act 1967 s17).
 */
export const DISCONTINUANCE_METHODS = ['pos-1985-s23-notice', 'pos-1985-s23a-notice', 'no-evidence-offered'] as const;
export type DiscontinuanceMethod = (typeof DISCONTINUANCE_METHODS)[number];
/** The Full Code Test stage no longer met (Code for Crown Prosecutors, 4.1 and 4.2: the test is kept under review). */
export const DISCONTINUANCE_GROUNDS = ['evidential', 'public-interest'] as const;
export type DiscontinuanceGround = (typeof DISCONTINUANCE_GROUNDS)[number];
