/**
 * Every key of the single table is built here and nowhere else.
 * See table.md for the access pattern each key serves.
 */
export interface Key {
  pk: string;
  sk: string;
}

/** How many partitions the monthly jobs read in parallel. */
export const JUDGING_SHARDS = 16;

/** A pairing's judging partition: a stable hash of its id. */
export const judgingShard = (pairingId: string): number => {
  let hash = 0;
  for (const ch of pairingId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return hash % JUDGING_SHARDS;
};

/**
 * What an outgoing message's keys derive from: what it is about, named as audit entities are
 * (`booking:<code>`, `ledger:<itemId>`, `user:<username>`), its kind (`confirmed`, `invitation`, …)
 * and its occasion ('' when the kind happens once; the item's version for a ledger confirmation).
 */
export interface MessageId {
  readonly about: string;
  readonly kind: string;
  readonly occasion: string;
}

/** Where a message stands for the deliveries page: a delivery still due, or one given up. */
export type MessageState = 'pending' | 'failed';

const judgingPartition = (shard: number) => ({ judgePk: `JUDGE#${shard}` });

export const keys = {
  /** byJudging: one of the JUDGING_SHARDS partitions the monthly jobs read. */
  judgingPartition,
  /** A staff member's profile (display name, role, jurisdiction). */
  user: (username: string): Key => ({ pk: `USER#${username}`, sk: 'PROFILE' }),
  /** byScope: users inside a jurisdiction subtree. */
  userScope: (jurisdiction: string, username: string) => ({
    scopePk: 'USERS',
    scopeSk: `${jurisdiction}#${username}`,
  }),
  usersScopePk: () => 'USERS',
  /** One run of a scheduled job, once per scheduled time. */
  jobRun: (job: string, scheduledTime: string): Key => ({ pk: `JOB#${job}`, sk: `RUN#${scheduledTime}` }),
  /** Partition of a job's runs; sorted by scheduled time. */
  jobRuns: (job: string) => ({ pk: `JOB#${job}`, skPrefix: 'RUN#' }),
  /**
   * The random key that seals paging cursors (functions/lib/http/cursor.ts): made once, with a conditional
   * Put, by whichever function first needs it. No route reads this partition.
   */
  cursorSecret: (): Key => ({ pk: 'SECRET#cursor', sk: 'KEY' }),

  /** A consultation day; its slots share the partition. */
  day: (dayId: string): Key => ({ pk: `DAY#${dayId}`, sk: 'DAY' }),
  slot: (dayId: string, slotId: string): Key => ({ pk: `DAY#${dayId}`, sk: `SLOT#${slotId}` }),
  /** The day and its slots in one Query. */
  dayPartition: (dayId: string) => ({ pk: `DAY#${dayId}` }),
  /** byParent: days in date order. */
  dayByDate: (date: string, dayId: string) => ({ parentPk: 'DAYS', parentSk: `${date}#${dayId}` }),
  daysParent: () => ({ parentPk: 'DAYS' }),
  /** A booking (kept) and its personal data (expires by TTL), looked up by code only. */
  booking: (code: string): Key => ({ pk: `BOOKING#${code}`, sk: 'BOOKING' }),
  bookingPersonal: (code: string): Key => ({ pk: `BOOKING#${code}`, sk: 'PII' }),
  /** byParent: bookings of a day, by slot then time. */
  bookingOfDay: (dayId: string, slotId: string, createdAt: string, code: string) => ({
    parentPk: `DAY#${dayId}#BOOKINGS`,
    parentSk: `${slotId}#${createdAt}#${code}`,
  }),
  bookingsOfDay: (dayId: string) => ({ parentPk: `DAY#${dayId}#BOOKINGS` }),
  /** byScope: a firm's bookings by slot start (its timeline). */
  bookingOfFirm: (uscc: string, startsAtUtc: string, code: string) => ({
    scopePk: `FIRMBOOKINGS#${uscc}`,
    scopeSk: `${startsAtUtc}#${code}`,
  }),
  bookingsOfFirm: (uscc: string) => ({ scopePk: `FIRMBOOKINGS#${uscc}` }),
  /** The SMS code challenge of a booking's hold (functions/lib/messaging/sms-code.ts). */
  bookingSmsCode: (code: string): Key => ({ pk: `BOOKING#${code}`, sk: 'SMSCODE' }),
  /**
   * byScope on a pending booking (its hold), by when the hold ends: what the `bookings` job sweeps.
   * Replaced by `bookingOfFirm` once the booker's mobile is verified (a hold is not yet the firm's).
   */
  bookingHold: (holdUntil: string, code: string) => ({ scopePk: 'HOLDS', scopeSk: `${holdUntil}#${code}` }),
  holdsPk: () => 'HOLDS',
  /** A recovery challenge: one per USCC and mobile (sha256 of both). */
  bookingRecoveryCode: (subjectHash: string): Key => ({ pk: `BOOKINGRECOVERY#${subjectHash}`, sk: 'CODE' }),
  /** Exists while a USCC holds an active booking that day: one per USCC per day. */
  usccGuard: (dayId: string, uscc: string): Key => ({ pk: `GUARD#${dayId}#${uscc}`, sk: 'GUARD' }),
  /**
   * byScope on the day item while its cancellation is under way (set with `cancelling`, removed
   * with `cancelled`): what the `bookings` job resumes.
   */
  dayCancelling: (jurisdiction: string, dayId: string) => ({
    scopePk: 'DAYSCANCELLING',
    scopeSk: `${jurisdiction}#${dayId}`,
  }),
  daysCancellingPk: () => 'DAYSCANCELLING',
  /**
   * byScope on the day item while its bookers are still to be told of an edit of its venue or link
   * (set in the edit's transaction, removed once each active booking's message is recorded): what
   * the `bookings` job resumes.
   */
  dayChanged: (jurisdiction: string, dayId: string) => ({
    scopePk: 'DAYSCHANGED',
    scopeSk: `${jurisdiction}#${dayId}`,
  }),
  daysChangedPk: () => 'DAYSCHANGED',
  /**
   * A lead's message to the bookers of a day, by the request id its page made: the request's record
   * (text, the message id every booker's message shares, how many it reached). A retry finds it.
   */
  dayMessage: (dayId: string, requestId: string): Key => ({ pk: `DAYMSG#${dayId}`, sk: `REQ#${requestId}` }),
  /**
   * byScope on a day message while its bookers' messages are still being recorded (removed once all
   * are): what the `bookings` job resumes after a request that stopped part-way.
   */
  dayMessageOpen: (createdAt: string, dayId: string, requestId: string) => ({
    scopePk: 'DAYMSGSOPEN',
    scopeSk: `${createdAt}#${dayId}#${requestId}`,
  }),
  dayMessagesOpenPk: () => 'DAYMSGSOPEN',
  /**
   * An outgoing message (e-mail and / or text message to someone outside the console), recorded in
   * the transaction of the fact that causes it, once per what it is about, kind and occasion.
   */
  message: (m: MessageId): Key => ({ pk: `MSG#${m.about}`, sk: `${m.kind}#${m.occasion}` }),
  /**
   * byParent on a message while a delivery is due, by when it is next due (its creation, then the
   * retry time of its failed deliveries): what the deliveries sweep reads, oldest first.
   */
  messageDue: (m: MessageId & { readonly dueAt: string }) => ({
    parentPk: 'MSGDUE',
    parentSk: `${m.dueAt}#${m.about}#${m.kind}#${m.occasion}`,
  }),
  messagesDue: () => ({ parentPk: 'MSGDUE' }),
  /**
   * byScope on a message with a delivery outside the console that is still due (`pending`, also
   * between retries) or was given up (`failed`): the deliveries page and its count read one
   * status of a jurisdiction subtree, oldest first, without a Scan. Removed once all went out.
   */
  messageScope: (
    m: MessageId & { readonly jurisdiction: string; readonly status: MessageState; readonly createdAt: string },
  ) => ({
    scopePk: `MSGS#${m.status}`,
    scopeSk: `${m.jurisdiction}#${m.createdAt}#${m.about}#${m.kind}#${m.occasion}`,
  }),
  messagesOf: (status: MessageState) => ({ scopePk: `MSGS#${status}` }),
  /**
   * A rate-limit counter: one per limit, subject and fixed window; the subject is a hash (a mobile
   * number is personal data and never a key), the window its start in epoch seconds; expires by TTL.
   */
  rateWindow: (limit: string, subjectHash: string, windowStart: number): Key => ({
    pk: `RATE#${limit}#${subjectHash}`,
    sk: `W#${windowStart}`,
  }),
  /**
   * A firm's SMS sign-in challenge, one per firm and mobile (a new code replaces the last); the key
   * is a hash of both (sign-in.ts; a mobile number is personal data and never a key); expires by TTL.
   */
  firmSignInCode: (subjectHash: string): Key => ({ pk: `FIRMCODE#${subjectHash}`, sk: 'CODE' }),
  /** An enterprise by its USCC, and byScope: enterprises inside a jurisdiction subtree. */
  enterprise: (uscc: string): Key => ({ pk: `ENT#${uscc}`, sk: 'ENT' }),
  enterpriseScope: (county: string, uscc: string) => ({ scopePk: 'ENTS', scopeSk: `${county}#${uscc}` }),
  enterprisesScopePk: () => 'ENTS',
  /** One all-or-nothing roster import (its id: a hash of caller, mode and file), its state and report. */
  enterpriseImport: (importId: string): Key => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' }),
  /** A pairing; its contacts share the partition, in time order. */
  pairing: (pairingId: string): Key => ({ pk: `PAIR#${pairingId}`, sk: 'PAIR' }),
  contact: (pairingId: string, atUtc: string, contactId: string): Key => ({
    pk: `PAIR#${pairingId}`,
    sk: `CONTACT#${atUtc}#${contactId}`,
  }),
  contactsOf: (pairingId: string) => ({ pk: `PAIR#${pairingId}`, skPrefix: 'CONTACT#' }),
  /** A contact request (the phone's id of one contact form) of one account: which contact it made (TTL). */
  contactRequest: (username: string, requestId: string): Key => ({
    pk: `CONTACTREQ#${username}#${requestId}`,
    sk: 'REQ',
  }),
  /**
   * A bulk pairing request of one account (the page's id of one press of "pair"): what was asked (a
   * hash) and, once every firm was tried, the result it answers again (TTL).
   */
  bulkPairingRequest: (username: string, requestId: string): Key => ({
    pk: `BULKPAIR#${username}#${requestId}`,
    sk: 'REQ',
  }),
  /** One active pairing per firm per service year. */
  pairingGuard: (uscc: string, serviceYear: number): Key => ({ pk: `PAIRGUARD#${uscc}#${serviceYear}`, sk: 'GUARD' }),
  /** byScope: pairings inside a jurisdiction subtree. */
  pairingScope: (county: string, pairingId: string) => ({ scopePk: 'PAIRS', scopeSk: `${county}#${pairingId}` }),
  pairingsScopePk: () => 'PAIRS',
  /** byParent: a liaison's pairings by service year. */
  pairingOfLiaison: (username: string, serviceYear: number, pairingId: string) => ({
    parentPk: `LIAISON#${username}`,
    parentSk: `${serviceYear}#${pairingId}`,
  }),
  /**
   * byJudging: pairings for the monthly jobs, spread over JUDGING_SHARDS partitions by id and
   * sorted by the day they ended (never: 9999-12-31), so a month's job skips those ended before it.
   */
  pairingJudging: (pairingId: string, endedOn: string | null) => ({
    ...judgingPartition(judgingShard(pairingId)),
    judgeSk: `${endedOn ?? '9999-12-31'}#${pairingId}`,
  }),
  /** Counters of one month for one jurisdiction (county, city, province); byParent: its months in order. */
  monthCounts: (month: string, code: string) => ({
    pk: `COUNTS#${month}`,
    sk: code,
    parentPk: `TREND#${code}`,
    parentSk: month,
  }),
  countsOfMonth: (month: string) => ({ pk: `COUNTS#${month}` }),
  trendOf: (code: string) => ({ parentPk: `TREND#${code}` }),
  /** A nudge, once per (pairing, month, kind); byScope: the nudges of a month inside a jurisdiction. */
  nudge: (pairingId: string, month: string, kind: string): Key => ({
    pk: `NUDGE#${pairingId}#${month}#${kind}`,
    sk: 'NUDGE',
  }),
  nudgeScope: (month: string, county: string, kind: string, pairingId: string) => ({
    scopePk: `NUDGES#${month}`,
    scopeSk: `${county}#${kind}#${pairingId}`,
  }),
  nudgesOfMonth: (month: string) => ({ scopePk: `NUDGES#${month}` }),
  /** The reminder digest of one liaison for one month (its deliveries). */
  digest: (liaison: string, month: string): Key => ({ pk: `DIGEST#${liaison}#${month}`, sk: 'DIGEST' }),
  /**
   * A digest of a job run's nudges (`kind`: `missed-digest`, `overdue-digest`; `slot`: the run's
   * month or day) for one recipient (`channel` email: a username) or one robot (`channel` robot:
   * the jurisdiction whose robot it is), one per part; `hash` names the nudges it lists, so every
   * run of the same slot computes the same id and a digest exists once. Stored as a message
   * (`keys.message` of this id), so the deliveries page lists and retries it like any other.
   */
  nudgeDigestId: (kind: string, slot: string, channel: 'email' | 'robot', to: string, hash: string): MessageId => ({
    about: `digest:${slot}:${channel}:${to}`,
    kind,
    occasion: hash,
  }),
  /** byParent on a nudge digest while its delivery is due, oldest first: what later delivery rounds send. */
  nudgeDigestDue: (createdAt: string, pk: string) => ({ parentPk: 'NUDGEDIGESTDUE', parentSk: `${createdAt}#${pk}` }),
  nudgeDigestsDue: () => ({ parentPk: 'NUDGEDIGESTDUE' }),
  /**
   * One pacing slot of one robot (about 3.5 s; a robot takes at most one post per slot, so at most 18
   * in any minute); the robot is named by a hash of its address; expires by TTL.
   */
  robotSlot: (robotHash: string, slot: number): Key => ({ pk: `ROBOTSLOT#${robotHash}`, sk: String(slot) }),
  /** An in-app message of one staff member, newest first by time. */
  inbox: (username: string, at: string, messageId: string): Key => ({
    pk: `INBOX#${username}`,
    sk: `${at}#${messageId}`,
  }),
  inboxOf: (username: string) => ({ pk: `INBOX#${username}` }),
  /** A ledger item; byScope: the queue of the unit holding it; byParent: a firm's items by time. */
  ledgerItem: (itemId: string): Key => ({ pk: `LEDGER#${itemId}`, sk: 'ITEM' }),
  ledgerQueue: (jurisdiction: string, itemId: string) => ({ scopePk: 'LEDGERS', scopeSk: `${jurisdiction}#${itemId}` }),
  ledgerQueuePk: () => 'LEDGERS',
  ledgerOfFirm: (uscc: string, createdAt: string, itemId: string) => ({
    parentPk: `FIRMLEDGER#${uscc}`,
    parentSk: `${createdAt}#${itemId}`,
  }),
  ledgersOfFirm: (uscc: string) => ({ parentPk: `FIRMLEDGER#${uscc}` }),
  /**
   * One move of a ledger item (its history entry), in the item's partition, by its sequence: the
   * version the move made (1 for the raise). A move is written once, so the item stays one bounded
   * record however often it moves; the history is a Query of the partition.
   */
  ledgerMove: (itemId: string, sequence: number): Key => ({
    pk: `LEDGER#${itemId}`,
    sk: `MOVE#${String(sequence).padStart(10, '0')}`,
  }),
  ledgerMoves: (itemId: string) => ({ pk: `LEDGER#${itemId}`, skPrefix: 'MOVE#' }),
  /** The ledger's counters of one month for one jurisdiction; byParent: its months in order. */
  ledgerCounts: (month: string, code: string) => ({
    pk: `LEDGERCOUNTS#${month}`,
    sk: code,
    parentPk: `LEDGERTREND#${code}`,
    parentSk: month,
  }),
  ledgerTrendOf: (code: string) => ({ parentPk: `LEDGERTREND#${code}` }),
  /**
   * Satisfaction (好差评) of one month for one jurisdiction: how many ratings, their stars summed, how
   * many were low; written with each rating. byParent: a jurisdiction's months in order.
   */
  satisfactionCounts: (month: string, code: string) => ({
    pk: `RATINGCOUNTS#${month}`,
    sk: code,
    parentPk: `RATINGTREND#${code}`,
    parentSk: month,
  }),
  satisfactionTrendOf: (code: string) => ({ parentPk: `RATINGTREND#${code}` }),
  /**
   * A county's industrial parks (issue 19, shared/parks.ts): one record holding the whole list at a
   * version, so names stay unique within the county and a park is retired, never removed.
   */
  parks: (county: string): Key => ({ pk: `PARKS#${county}`, sk: 'LIST' }),
  /**
   * The annual service items' catalogue (shared/service-items.ts): `CURRENT` is the one offered,
   * each `V#<version>` the catalogue as an admin saved it (kept, so a year's tags can be read by
   * the catalogue of their day).
   */
  serviceCatalogue: (): Key => ({ pk: 'CATALOGUE#service-items', sk: 'CURRENT' }),
  serviceCatalogueVersion: (version: number): Key => ({
    pk: 'CATALOGUE#service-items',
    sk: `V#${String(version).padStart(6, '0')}`,
  }),
  /**
   * Work per service item of one month for one jurisdiction: contacts (`c_<id>`) and ledger items
   * raised (`l_<id>`) tagged with it, written with each contact or item. byParent: the months in order.
   */
  serviceCounts: (month: string, code: string) => ({
    pk: `SERVICECOUNTS#${month}`,
    sk: code,
    parentPk: `SERVICETREND#${code}`,
    parentSk: month,
  }),
  serviceTrendOf: (code: string) => ({ parentPk: `SERVICETREND#${code}` }),
  /** A service year's submission deadline, when the province set one (else 30 August). */
  submissionYear: (serviceYear: number): Key => ({ pk: `SUBMISSIONYEAR#${serviceYear}`, sk: 'DEADLINE' }),
  /**
   * A city's annual list (issue 19): `CURRENT` names its latest version and its first submit; each
   * version `V#<n>` is the frozen table, its rows in chunks `V#<n>#ROWS#<k>`. The cities are known
   * (shared/jurisdictions.ts), so a year's standing is one BatchGetItem of their `CURRENT`s.
   */
  submission: (serviceYear: number, city: string): Key => ({ pk: `SUBMISSION#${serviceYear}#${city}`, sk: 'CURRENT' }),
  submissionVersion: (serviceYear: number, city: string, version: number): Key => ({
    pk: `SUBMISSION#${serviceYear}#${city}`,
    sk: `V#${String(version).padStart(4, '0')}`,
  }),
  submissionChunk: (serviceYear: number, city: string, version: number, chunk: number): Key => ({
    pk: `SUBMISSION#${serviceYear}#${city}`,
    sk: `V#${String(version).padStart(4, '0')}#ROWS#${String(chunk).padStart(3, '0')}`,
  }),
  /** Open items of a jurisdiction by due date ("overdue now" is the dates before today). */
  ledgerDue: (code: string, dueOn: string): Key => ({ pk: `LEDGERDUE#${code}`, sk: dueOn }),
  /** byJudging: every open item by due date, for the overdue jobs (removed when it closes or is cancelled). */
  openLedger: (dueOn: string, itemId: string) => ({ judgePk: 'LEDGEROPEN', judgeSk: `${dueOn}#${itemId}` }),
  openLedgerPartition: () => ({ judgePk: 'LEDGEROPEN' }),
  /** The overdue nudge of an item, once; `take-up`: a firm's request still not taken up (issue 16). */
  ledgerNudge: (itemId: string, kind: 'overdue' | 'take-up'): Key => ({ pk: `LEDGERNUDGE#${itemId}`, sk: kind }),
  /**
   * A firm's request waiting to be taken up: a marker written with the item, byJudging by its
   * take-up day, for the daily job; it expires by itself (TTL) a month after that day.
   */
  ledgerTakeUp: (itemId: string): Key => ({ pk: `LEDGERTAKEUP#${itemId}`, sk: 'TAKEUP' }),
  ledgerTakeUpDue: (takeUpBy: string, itemId: string) => ({
    judgePk: 'LEDGERTAKEUP',
    judgeSk: `${takeUpBy}#${itemId}`,
  }),
  ledgerTakeUpPartition: () => ({ judgePk: 'LEDGERTAKEUP' }),
  /**
   * A firm's requests waiting to be taken up (`waitingIds`, a string set): each added in the request's
   * transaction under the cap, removed in the move that takes it out of `collected` (issue 16).
   */
  firmRequestsWaiting: (uscc: string): Key => ({ pk: `FIRMREQUESTS#${uscc}`, sk: 'WAITING' }),
  /** A firm request's Idempotency-Key: the item it made, for a day (TTL). */
  firmRequestIdempotency: (uscc: string, key: string): Key => ({ pk: `FIRMREQUESTS#${uscc}`, sk: `IDEM#${key}` }),
  /** A lead's weekly digest of overdue items (the Monday it covers). */
  ledgerDigest: (username: string, monday: string): Key => ({
    pk: `DIGEST#${username}#LEDGER#${monday}`,
    sk: 'DIGEST',
  }),
  /** A firm's single-use confirmation link of a resolved item: the hash of its token. */
  confirmation: (tokenHash: string): Key => ({ pk: `CONFIRM#${tokenHash}`, sk: 'CONFIRM' }),
  /** A check-up; byParent: a firm's check-ups by time. */
  checkup: (checkupId: string): Key => ({ pk: `CHECKUP#${checkupId}`, sk: 'CHECKUP' }),
  checkupOfFirm: (uscc: string, at: string, checkupId: string) => ({
    parentPk: `FIRMCHECKUPS#${uscc}`,
    parentSk: `${at}#${checkupId}`,
  }),
  checkupsOfFirm: (uscc: string) => ({ parentPk: `FIRMCHECKUPS#${uscc}` }),
  /** Versions of the check-up template, and which one is current. */
  template: (version: number): Key => ({ pk: 'TEMPLATE#checkup', sk: `V#${String(version).padStart(6, '0')}` }),
  templateCurrent: (): Key => ({ pk: 'TEMPLATE#checkup', sk: 'CURRENT' }),
  /** A firm's health: its latest band and whether it got worse. */
  health: (uscc: string): Key => ({ pk: `HEALTH#${uscc}`, sk: 'HEALTH' }),
  /**
   * byScope on a firm's health while it warns (red, or worse than the check-up before): the early-warning
   * board reads a unit's such firms with one Query (issue 19); a green or unchanged check-up leaves it out. The console home's red-band firms read the same entry,
   * filtered to a red band (one item carries one byScope entry).
   */
  healthWarning: (county: string, uscc: string) => ({ scopePk: 'HEALTHWARN', scopeSk: `${county}#${uscc}` }),
  healthWarningPk: () => 'HEALTHWARN',
  /** A lead's weekly digest of its unit's early-warning board (the Monday it covers). */
  warningDigest: (username: string, monday: string): Key => ({
    pk: `DIGEST#${username}#WARN#${monday}`,
    sk: 'DIGEST',
  }),
  /** The group-chat robot of a jurisdiction (WeCom or DingTalk). */
  webhook: (jurisdiction: string): Key => ({ pk: `WEBHOOK#${jurisdiction}`, sk: 'CONFIG' }),
  /** byParent: every contact with a firm by time (for the repeated-visit warning and the firm page). */
  contactOfFirm: (uscc: string, atUtc: string, contactId: string) => ({
    parentPk: `FIRMCONTACTS#${uscc}`,
    parentSk: `${atUtc}#${contactId}`,
  }),
  contactsOfFirm: (uscc: string) => ({ parentPk: `FIRMCONTACTS#${uscc}` }),
  /** Local runtime only: the demo records were written once into this store. */
  demoSeed: (): Key => ({ pk: 'LOCAL#DEMO', sk: 'SEED' }),
  /** An evidence file's record (who uploaded it, for which jurisdiction, where it lies). */
  evidence: (evidenceId: string): Key => ({ pk: `EVIDENCE#${evidenceId}`, sk: 'EVIDENCE' }),
  /** An audit event of an entity, and byScope: audit events inside a jurisdiction by time. */
  audit: (entity: string, at: string, eventId: string): Key => ({ pk: `AUDIT#${entity}`, sk: `${at}#${eventId}` }),
  auditScope: (jurisdiction: string, at: string, eventId: string) => ({
    scopePk: 'AUDIT',
    scopeSk: `${jurisdiction}#${at}#${eventId}`,
  }),
  /**
   * A lead's field service (issue 19), in its own partition by time; byScope: a quarter's field
   * services inside a jurisdiction (the lead's own).
   */
  leaderVisit: (username: string, atUtc: string, visitId: string): Key => ({
    pk: `LEADER#${username}`,
    sk: `VISIT#${atUtc}#${visitId}`,
  }),
  leaderVisitScope: (quarter: string, jurisdiction: string, atUtc: string, visitId: string) => ({
    scopePk: `LEADERVISITS#${quarter}`,
    scopeSk: `${jurisdiction}#${atUtc}#${visitId}`,
  }),
  leaderVisitsOf: (username: string) => ({ pk: `LEADER#${username}`, skPrefix: 'VISIT#' }),
  /**
   * A lead's quarter, written with its first field service of the quarter (held or not, how many);
   * byScope: the leads who held one in a quarter inside a jurisdiction.
   */
  leaderQuarter: (username: string, quarter: string): Key => ({ pk: `LEADER#${username}`, sk: `QUARTER#${quarter}` }),
  leaderQuarterScope: (quarter: string, jurisdiction: string, username: string) => ({
    scopePk: `LEADERQUARTERS#${quarter}`,
    scopeSk: `${jurisdiction}#${username}`,
  }),
  leaderQuartersOf: (quarter: string) => ({ scopePk: `LEADERQUARTERS#${quarter}` }),
  /** Counters of a quarter's field services for one jurisdiction and the levels above (held, visited, visits, missed). */
  leaderCounts: (quarter: string, code: string): Key => ({ pk: `LEADERCOUNTS#${quarter}`, sk: code }),
  leaderCountsOf: (quarter: string) => ({ pk: `LEADERCOUNTS#${quarter}` }),
  /** The subject of a lead's field-service nudges in `nudge` / `nudgeScope` (where a pairing's id goes). */
  leaderSubject: (username: string) => `leader:${username}`,
  /**
   * A firm's self-inspection by the id its page made (the firm's USCC in the key, so one firm's ids
   * never meet another's); byParent: the firm's self-inspections by time.
   */
  selfInspection: (uscc: string, selfInspectionId: string): Key => ({
    pk: `SELFINSP#${uscc}#${selfInspectionId}`,
    sk: 'SELFINSP',
  }),
  selfInspectionOfFirm: (uscc: string, submittedAt: string, selfInspectionId: string) => ({
    parentPk: `FIRMSELFINSP#${uscc}`,
    parentSk: `${submittedAt}#${selfInspectionId}`,
  }),
  selfInspectionsOfFirm: (uscc: string) => ({ parentPk: `FIRMSELFINSP#${uscc}` }),
  /**
   * A suggested ledger item (a failed item of a self-inspection; its id derived from the firm, the
   * submission and the template item); byScope while pending: the suggestions of a subtree.
   */
  suggestion: (suggestionId: string): Key => ({ pk: `SUGGESTION#${suggestionId}`, sk: 'SUGGESTION' }),
  suggestionPending: (county: string, createdAt: string, suggestionId: string) => ({
    scopePk: 'SUGGESTIONS',
    scopeSk: `${county}#${createdAt}#${suggestionId}`,
  }),
  suggestionsPendingPk: () => 'SUGGESTIONS',
  /**
   * A "three best" case (issue 19); byScope: the cases of a subtree, by county and creation; byParent
   * while published: the public list, newest first (set by publish, removed by unpublish).
   */
  case: (caseId: string): Key => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  caseScope: (county: string, createdAt: string, caseId: string) => ({
    scopePk: 'CASES',
    scopeSk: `${county}#${createdAt}#${caseId}`,
  }),
  casesScopePk: () => 'CASES',
  casePublished: (publishedAt: string, caseId: string) => ({
    parentPk: 'PUBLISHEDCASES',
    parentSk: `${publishedAt}#${caseId}`,
  }),
  casesPublished: () => ({ parentPk: 'PUBLISHEDCASES' }),
  /** A firm's request for an on-site check-up: one per firm, open until a check-up is dated after it. */
  checkupRequest: (uscc: string): Key => ({ pk: `CHECKUPREQ#${uscc}`, sk: 'REQUEST' }),
} as const;
