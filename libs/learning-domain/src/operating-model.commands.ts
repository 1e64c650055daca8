import type { ForceCode, ModelRules } from '#contracts';
import type { NationalModelState } from './national-model.state.js';

/**
 * Who is acting, as the API established it from the caller's verified identity (never from a request body).
 * Only the national team publishes; only a force's own administrator adopts for that force.
 */
export type ModelActor =
  | { readonly role: 'national-team'; readonly officerId: string }
  | { readonly role: 'force-administrator'; readonly officerId: string; readonly force: ForceCode }
  | { readonly role: 'officer'; readonly officerId: string; readonly force: ForceCode };

/** Commands on the national stream `operating-model`. */
export type NationalModelCommand =
  | {
      readonly kind: 'publish-model-version';
      readonly actor: ModelActor;
      readonly version: string;
      readonly catalogueVersion: string;
      readonly rules: ModelRules;
      readonly at: string;
    }
  | {
      readonly kind: 'supersede-model-version';
      readonly actor: ModelActor;
      readonly version: string;
      readonly supersededBy: string;
      readonly at: string;
    };

/** The command on a force's stream `operating-model-<force>`. */
export interface AdoptModelVersion {
  readonly kind: 'adopt-model-version';
  readonly actor: ModelActor;
  readonly force: ForceCode;
  readonly version: string;
  /**
   * The national stream folded by the handler: adoption depends on another stream, and the decider stays pure
   * by receiving that state as data, just as it receives the time.
   */
  readonly national: NationalModelState;
  readonly at: string;
}
export type ForceModelCommand = AdoptModelVersion;
