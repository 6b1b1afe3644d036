import type mongoose from 'mongoose';

/** One ledger entry as an export reads it (a lean document; fields a format does not need may be absent). */
export interface LedgerRow {
  _id: mongoose.Types.ObjectId;
  userId: mongoose.Types.ObjectId;
  kind: string;
  number: string;
  activityKey: string;
  activityId: mongoose.Types.ObjectId;
  activityVersion: number;
  creditType: string;
  amount: number;
  completionDate: string;
  recordedAt?: Date;
  idempotencyKey?: string;
  revokesEntryId?: mongoose.Types.ObjectId;
  reissueOfEntryId?: mongoose.Types.ObjectId;
  recordedBy?: { kind?: string; id?: string; name?: string };
  reason?: string;
  learnerName?: string;
  profession?: string;
  attestationText?: string;
}

/** A learner's reporting profile as it stood at the export's instant: blanks for what is missing. */
export interface ReportingProfile {
  firstName: string;
  lastName: string;
  npi: string;
  licenseNumber: string;
  licenseState: string;
  certifyingBoard: string;
  boardId: string;
  birthMonthDay: string;
  nabpEprofileId: string;
  consents: { pars: boolean; cpeMonitor: boolean; ceBroker: boolean };
}

/** What the reporting files need of one activity version. */
export interface ActivityFacts {
  title: string;
  accmeActivityId: string;
  /** The ACPE designation's Universal Activity Number. */
  uan: string;
  ceBrokerProviderNumber: string;
  ceBrokerCourseNumber: string;
}

/** A cell of a file: text, or a number (credits, days). */
export type Cell = string | number;
export type Row = Cell[];

/** Everything one entry's row is made from (the writer fills it from its look-ups, one entry at a time). */
export interface RowInput {
  entry: LedgerRow;
  /** Null: no profile at the export's instant (so no consent). */
  profile: ReportingProfile | null;
  /** Null: the activity version is gone (never deleted in practice). */
  activity: ActivityFacts | null;
  /** The number of the revocation that revoked this entry at the export's instant. */
  revokedBy: string | undefined;
  /**
   * Whether an earlier complete export reported this entry to the file's body (set for PARS's pending deletes,
   * whose profile and activity are then those as of the export that reported the add).
   */
  reported: boolean;
  /** Days from the completion date to the export's local date (CPE Monitor's window). */
  daysSince: number;
}

/**
 * What one entry becomes in a reporting body's file: a row and what its receipt records (`add`, a PARS `delete`,
 * or `none` for a row the body refuses anyway: CPE Monitor past its 60 days), problems that keep it out of the file
 * and put it in the pre-check, or nothing (no consent, revoked and never reported).
 */
export type BodyOutcome = { row: Row; receipt: 'add' | 'delete' | 'none' } | { problems: string[] } | null;
