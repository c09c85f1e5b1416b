import type { Pause } from './monthly.ts';
import type { ContactMode, PairingStatus } from './pairing.ts';

/** The API's shapes of pairings and contacts: what the handlers store and answer, what the console reads. */
export interface Pairing {
  pairingId: string;
  uscc: string;
  county: string;
  liaison: string;
  serviceYear: number;
  startsOn: string;
  mentorUscc: string | null;
  status: PairingStatus;
  endedOn: string | null;
  replacedBy: string | null;
  lastContactAt: string | null;
  lastQualifyingContactAt: string | null;
  /** Months (Beijing, `YYYY-MM`) with a qualifying contact: what the monthly rule judges by. */
  qualifyingMonths: string[];
  /** When it was paused: the monthly rule skips a month paused from start to end. */
  pauses: Pause[];
  version: number;
  createdAt: string;
}

export interface EvidenceRef {
  evidenceId: string;
  fileName: string;
  contentType: string;
}

export interface Contact {
  contactId: string;
  pairingId: string;
  uscc: string;
  /** The pairing's liaison when the contact was logged (a lead may log for it). */
  liaison: string;
  at: string;
  mode: ContactMode;
  participants: string[];
  summary: string;
  evidenceIds: string[];
  /** The files attached (name and type kept for lists; the record holds where each lies). */
  evidence: EvidenceRef[];
  loggedBy: string;
  loggedAt: string;
}
