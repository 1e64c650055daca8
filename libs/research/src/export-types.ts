import type { DateGranularity } from './coarsen.js';
import type { DisclosureLog } from './disclosure-log.js';
import type { ErasedSubjects } from './erased-subjects.js';
import type { TimeBasis } from './selection.js';
import type { ExportFormat } from './writers.js';

/** The research export's query, options, manifest, checkpoint and result (ADR 0016): the export itself is export.ts. */

/** The query of an export, as recorded in its manifest and disclosure. */
export interface ExportQuery {
  readonly study: string;
  readonly window: { readonly from: string | null; readonly to: string | null; readonly basis: TimeBasis };
  readonly forces: readonly string[] | 'all';
  /** The `--types` selectors as given, and the event types they resolved to. */
  readonly typeSelectors: readonly string[];
  readonly types: readonly string[];
  readonly dateGranularity: DateGranularity;
  readonly format: ExportFormat;
}

export interface ExportProgress {
  readonly exported: number;
  /** Events of the selection read so far (exported, or left out for an erased subject), finished parts included. */
  readonly read: number;
  /**
   * Events the selection holds (before erased subjects are left out): counted beside the export on a second
   * connection, so the export starts at once; undefined until that count is done.
   */
  readonly total: number | undefined;
  readonly position: bigint;
}

export interface ExportOptions {
  readonly databaseUrl: string;
  readonly eventStoreSchema: string;
  readonly outDir: string;
  /** The national research secret; the study key is derived from it and the study id, and never written. */
  readonly researchSecret: Buffer;
  readonly query: ExportQuery;
  readonly requester: string;
  readonly purpose: string;
  readonly resume?: boolean;
  readonly disclosureLog: DisclosureLog;
  /** Default: read from the event store (the erasure events). */
  readonly erasedSubjects?: ErasedSubjects;
  readonly toolVersion: string;
  readonly batchSize?: number;
  /**
   * How many read, pseudonymise and encode at once (ADR 0049): 1 (the default), the export's own thread; more, that
   * many worker threads, each on its own connection and segment of the log, the export's thread numbering and writing
   * what they make in position order (the files are the same byte for byte).
   */
  readonly workers?: number;
  /** Events of the log a worker takes at a time (default: four batches' worth). */
  readonly segmentRows?: number;
  /**
   * The workers' part done in the export's own thread, segments interleaved (the same order and files, no parallel
   * CPU): for tests run from source, where the worker thread's compiled file does not exist.
   */
  readonly workersInProcess?: boolean;
  /** Rows per output file (part); a resume redoes at most the part that was being written. */
  readonly partRows?: number;
  readonly rowGroupSize?: number;
  readonly onProgress?: (progress: ExportProgress) => void;
  /** Stops as if interrupted after this many events written by this run (tests, and a way to export in slices). */
  readonly maxEvents?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

export interface ManifestFile {
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly manifestVersion: 1;
  readonly tool: { readonly name: 'nom research export'; readonly version: string };
  readonly query: ExportQuery;
  readonly requester: string;
  readonly purpose: string;
  readonly eventCount: number;
  /** Events of the selection left out because they are about an erased subject. */
  /**
   * `undecodable`: events of the selection it could not read (garbled rows: recorded in the log's reader dead
   * letters as `research-export:<study>`, with the reason), left out.
   */
  readonly excluded: { readonly erasedSubjects: number; readonly undecodable: number };
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly modelVersions: readonly string[];
  /** Positions of the global log covered: (from, to]. */
  readonly positionRange: { readonly from: string; readonly to: string };
  readonly files: readonly ManifestFile[];
  readonly pseudonymisation: { readonly algorithm: string; readonly keyDerivation: string };
  readonly createdAt: string;
  readonly startedAt: string;
}

export interface PartRecord extends ManifestFile {
  /** Events of the selection read for this part: its rows and the events left out for erased subjects. */
  readonly read: number;
  readonly lastPosition: string;
  readonly eventsByType: Record<string, number>;
  readonly modelVersions: string[];
}

export interface Checkpoint {
  readonly version: number;
  readonly query: ExportQuery;
  readonly requester: string;
  readonly purpose: string;
  /** A pseudonym of a fixed string: proves the resume uses the same study key, reveals nothing of it. */
  readonly keyCheck: string;
  readonly erasedDigest: string;
  readonly upTo: string;
  readonly startedAt: string;
  readonly parts: PartRecord[];
  /** The first run's id in the disclosure log (absent in checkpoints written before it was logged). */
  readonly exportId?: string;
}

export interface ExportResult {
  readonly completed: boolean;
  readonly exported: number;
  readonly manifest?: Manifest;
  readonly disclosure?: { readonly id: string; readonly loggedAt: string };
}

export class ExportError extends Error {
  override readonly name = 'ExportError';
}
