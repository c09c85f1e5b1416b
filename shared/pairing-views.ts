import type { Pause } from './monthly.ts';
import type { BulkRefusal, CheckupCadence, ContactMode, PairingStatus } from './pairing.ts';
import type { RollOverMark } from './roll-over-views.ts';
import type { Named } from './staff-user.ts';

/**
 * What the monthly rule reads of a pairing. The `byJudging` index projects exactly these attributes
 * (shared/table.ts takes this list), so the jobs judge from index pages without reading the items;
 * an attribute the rule starts to read must be added here, where the type and the projection follow.
 * Changing the list changes a deployed index (CloudFormation replaces it): keep its order.
 */
export const JUDGED_ATTRIBUTES = [
  'pairingId',
  'uscc',
  'county',
  'liaison',
  'serviceYear',
  'startsOn',
  'status',
  'endedOn',
  'pauses',
  'qualifyingMonths',
  'lastQualifyingContactAt',
] as const satisfies readonly (keyof Pairing)[];

/** A pairing as the judging index holds it. */
export type Judgeable = Pick<Pairing, (typeof JUDGED_ATTRIBUTES)[number]>;

/** The API's shapes of pairings and contacts: what the handlers store and answer, what the console reads. */
export interface Pairing {
  pairingId: string;
  uscc: string;
  county: string;
  liaison: string;
  serviceYear: number;
  startsOn: string;
  mentorUscc: string | null;
  /** 联系领导: the lead named beside the liaison (issue 19); absent on pairings made before it. */
  contactLeader?: string | null;
  /** Months between the firm's check-ups (CHECKUP_CADENCES, shared/pairing.ts); absent or null: the deployment's. */
  checkupIntervalMonths?: CheckupCadence | null;
  /**
   * The year roll-over's decision on this pairing (shared/roll-over.ts): kept into the next year or
   * ended with a reason. Its `endedOn` is then the roll-over day, which may lie ahead (a roll-over
   * made in December ends the pairing on 1 January; until then it is served and judged as before).
   */
  rolledOver?: RollOverMark | null;
  status: PairingStatus;
  endedOn: string | null;
  replacedBy: string | null;
  lastContactAt: string | null;
  lastQualifyingContactAt: string | null;
  /**
   * The newest contact (by its time) in short: what the liaison reads on the to-do card and the form
   * before the next visit. Absent on pairings whose last contact predates it (issue 20).
   */
  lastContact?: LastContact | null;
  /** Months (Beijing, `YYYY-MM`) with a qualifying contact: what the monthly rule judges by. */
  qualifyingMonths: string[];
  /** When it was paused: the monthly rule skips a month paused from start to end. */
  pauses: Pause[];
  version: number;
  createdAt: string;
}

/** The people a pairing names, each answered with its display name beside it (issue 18). */
export const PAIRING_PEOPLE = ['liaison', 'contactLeader'] as const;
/** A pairing as the API answers it: `liaisonName`, `contactLeaderName` beside the usernames. */
export type PairingView = Named<Pairing, (typeof PAIRING_PEOPLE)[number]>;

export interface LastContact {
  contactId: string;
  at: string;
  mode: ContactMode;
  /** The summary's first LAST_SUMMARY_MAX characters (the whole one is in the pairing's contacts). */
  summary: string;
}

/** A recent contact with the firm, as the repeated-visit warning shows it before a visit is saved. */
export interface RecentContact {
  contactId: string;
  at: string;
  mode: ContactMode;
  /** Logged by the caller: "you contacted it on …", not "someone did". */
  mine: boolean;
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
  /** The annual service items it counts under (absent on contacts logged before the catalogue). */
  serviceItems?: string[];
}

/** The people a contact names: the pairing's liaison and who logged it. */
export const CONTACT_PEOPLE = ['liaison', 'loggedBy'] as const;
/** A contact as the API answers it: `liaisonName`, `loggedByName` beside the usernames. */
export type ContactView = Named<Contact, (typeof CONTACT_PEOPLE)[number]>;

/** One firm's outcome in a bulk pairing (`POST /api/staff/pairings/bulk`), in the order asked. */
export type BulkPairingResult =
  | { uscc: string; outcome: 'created'; pairingId: string }
  | { uscc: string; outcome: 'refused'; code: BulkRefusal };

/** A liaison as the pickers show it: who, and how much it carries (issue 20). */
export interface LiaisonWorkload {
  username: string;
  displayName: string;
  jurisdiction: string;
  /** Pairings of the service year not ended (active or paused). */
  active: number;
  /** Of those, judged this month (rule 5) and not yet contacted by a visit or video. */
  toContact: number;
}
