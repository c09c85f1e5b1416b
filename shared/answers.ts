/**
 * What each route answers with on success, by route id: the one contract between the handlers and the
 * pages. `createApi` wants every handler's return type to fit its route's answer here (so a handler that
 * drops or renames a field fails the typecheck), and the browser kit's `api(id)` gives pages the answer
 * typed by the same entry, instead of each page casting `body` to what it hopes for.
 *
 * Every route is either here or in `NotReadAsJson` below, with why (checked at the end of this file):
 * a new route's author decides which. The kit's `api`, `publicApi` and `firmApi` accept only routes
 * listed here, so a page cannot read an answer the contract does not type.
 */

import type { AuditEventView } from './audit.ts';
import type { PublicCase, StaffCase } from './case-rules.ts';
import type { Band, Checkup, CheckupTemplate, DueCheckupView, Health, HealthWarning } from './checkups.ts';
import type { DayMessageProgress, PublicBooking, PublicDay, StaffBooking, StaffDay } from './consultation-views.ts';
import type { Coverage } from './coverage.ts';
import type { Enterprise } from './enterprise.ts';
import type { ImportReport } from './enterprise-import.ts';
import type { FirmCheckupReport, FirmRecord, FirmRequestView } from './firm-record.ts';
import type { Level } from './jurisdictions.ts';
import type { MessageState } from './keys.ts';
import type { LeaderCounts, LeaderVisit } from './leader-visits.ts';
import type {
  ConfirmationNotice,
  ConfirmationView,
  LedgerItem,
  LedgerItemFull,
  LedgerItemView,
  LedgerState,
  Severity,
} from './ledger.ts';
import type { ComplianceCounts, MissedFields } from './monthly.ts';
import type { BulkPairingResult, Contact, ContactView, LiaisonWorkload, PairingView } from './pairing-views.ts';
import type { ParkList } from './parks.ts';
import type { Rating } from './ratings.ts';
import type { Role } from './roles.ts';
import type { RollOverResult } from './roll-over-views.ts';
import type { RouteId } from './routes.ts';
import type { FirmTemplateItem, SelfInspection, Suggestion } from './self-inspection.ts';
import type { ServiceCatalogueView, ServiceStats } from './service-items.ts';
import type { Named, StaffUser } from './staff-user.ts';
import type { CitySubmissionView, SubmissionReceipt, YearDeadline } from './submissions.ts';
import type { TodayView } from './today.ts';
import type { WarningBoard, WarningList, WarningPage } from './warnings.ts';

/** A name in both languages, as the API gives jurisdictions. */
export interface Names {
  zh: string;
  en: string;
}

/** The signed-in staff member (`GET /api/staff/me`). */
export interface Me {
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  jurisdiction: { code: string; name: Names; level: Level };
}

/** A presigned upload of one evidence file: PUT the bytes to `url` with these headers. */
export interface EvidenceUpload {
  evidenceId: string;
  upload: { url: string; method: string; headers: Record<string, string> };
}

/** A webhook robot of a unit; the address is shown, the signing secret never is. */
export interface WebhookView {
  jurisdiction: string;
  kind: 'wecom' | 'dingtalk';
  url: string;
  signed: boolean;
  version: number;
}

/** A firm in the roster's list: with its health band and whether it is paired now. */
export type EnterpriseRow = Enterprise & { health: { band: Band; score: number } | null; paired: boolean };

/** A unit's standing in a quarter's leader visits, or a unit below it. */
export interface LeaderUnit extends LeaderCounts {
  code: string;
  name: Names;
  level: Level;
}

/** A pairing the month's compliance lists as missed (a nudge's public fields), its liaison by name. */
export type MissedEntry = Named<MissedFields, 'liaison'>;

/** The compliance view of a unit (or of a county's park): totals, the units below, the missed, the trend. */
export interface ComplianceView {
  month: string;
  jurisdiction: { code: string; name: Names };
  park?: { id: string; name: string };
  totals: ComplianceCounts;
  children: (ComplianceCounts & { code: string; name: Names; level: Level })[];
  missed: MissedEntry[];
  trend: (ComplianceCounts & { month: string })[];
}

/** A pairing not contacted yet this month (the running month's list), its liaison by name. */
export type OpenPairing = Named<
  {
    pairingId: string;
    uscc: string;
    firmName: string;
    county: string;
    liaison: string;
    lastQualifyingContactAt: string | null;
  },
  'liaison'
>;

/** A message that has not gone out (pending, or given up), with each channel's delivery. */
export interface UndeliveredMessage {
  about: string;
  kind: string;
  occasion: string;
  jurisdiction: string;
  subject: string;
  createdAt: string;
  status: MessageState;
  deliveries: {
    channel: 'email' | 'sms' | 'webhook';
    /** Masked: the page never sees a whole address or number. */
    to: string;
    status: 'pending' | 'sent' | 'failed';
    attempts: number;
    lastError?: string;
  }[];
  /** How many nudges a digest carries. */
  nudges?: number;
}

/** A message of one's own inbox (written by job messages, rating callbacks and self-inspection alerts). */
export interface InboxMessage {
  /** Its id in URLs (`inbox.read`). */
  id: string;
  messageId: string;
  at: string;
  kind: string;
  title: string;
  text: string;
  link: string;
  read: boolean;
  readAt?: string;
  /** A nudge's pairing was contacted since (the Beijing day): the nudge is answered. */
  contactedOn?: string;
}

/** Raised, closed and cancelled items of a span, and the share closed (null when none was raised). */
export interface LedgerTotals {
  raised: number;
  closed: number;
  cancelled: number;
  completionRate: number | null;
}

/** Ratings given (好差评): how many, the stars, the low ones and the average (null with none). */
export interface Satisfaction {
  rated: number;
  stars: number;
  low: number;
  average: number | null;
}

/** The ledger's statistics of a unit (or of a county's park) over months `from`..`to`. */
export interface LedgerStats extends LedgerTotals {
  /** The unit's code; a park's statistics name its county. */
  jurisdiction: string;
  park?: { id: string; name: string };
  from: string;
  to: string;
  bySeverity: Record<Severity, LedgerTotals>;
  medianDaysToClose: number | null;
  months: { month: string; raised: number; closed: number }[];
  overdueNow: number;
  satisfaction: Satisfaction & { months: (Satisfaction & { month: string })[] };
}

/** An entry of a firm's timeline (`enterprises.timeline`): a contact, booking, check-up or ledger item. */
export type TimelineItem =
  | ({ kind: 'contact' } & Pick<Contact, 'at' | 'pairingId' | 'mode' | 'summary' | 'participants' | 'evidence'> & {
        contactId: string;
        liaison: string;
        loggedBy: string;
      })
  | ({ kind: 'booking'; at: string } & Pick<StaffBooking, 'code' | 'dayId' | 'slotId' | 'status' | 'topic' | 'outcome'>)
  | ({ kind: 'checkup' } & Pick<
      Checkup,
      'at' | 'checkupId' | 'state' | 'score' | 'band' | 'inspectors' | 'ledgerItemIds'
    >)
  | ({ kind: 'ledger'; at: string } & Pick<LedgerItem, 'itemId' | 'title' | 'state' | 'severity' | 'dueOn' | 'source'>);

/** A timeline entry as answered: a contact names its liaison and who logged it (issue 18). */
export type TimelineEntry =
  | Named<Extract<TimelineItem, { kind: 'contact' }>, 'liaison' | 'loggedBy'>
  | Exclude<TimelineItem, { kind: 'contact' }>;

/** A check-up with the template it is answered against. */
interface CheckupWithTemplate {
  checkup: Checkup;
  template: CheckupTemplate;
}

export interface Answers {
  'me.get': { me: Me };
  'users.list': { users: StaffUser[] };
  'users.create': { user: StaffUser; invitation: { sent: boolean } };
  'users.update': { user: StaffUser };
  'evidence.create': EvidenceUpload;
  'evidence.get': {
    evidenceId: string;
    fileName: string;
    contentType: string;
    size: number;
    download: { url: string };
  };
  'audit.list': { events: AuditEventView[]; names: Record<string, string>; nextCursor: string | null };
  'inbox.list': { messages: InboxMessage[]; unread: number; nextCursor: string | null };
  'deliveries.list': { messages: UndeliveredMessage[]; nextCursor: string | null };
  'deliveries.summary': { pending: number; failed: number; capped: boolean; cap: number };
  'deliveries.retry': { status: 'pending' };
  'today.get': TodayView;
  'enterprises.list': { enterprises: EnterpriseRow[]; nextCursor: string | null };
  'enterprises.create': { enterprise: Enterprise };
  'enterprises.get': { enterprise: Enterprise };
  'enterprises.update': { enterprise: Enterprise };
  'enterprises.import': { report: ImportReport };
  'enterprises.timeline': { items: TimelineEntry[]; nextCursor: string | null };
  'leaderVisits.create': { visit: LeaderVisit; counted: boolean };
  'leaderVisits.list': { visits: (LeaderVisit & { evidence: unknown[] })[] };
  'leaderCompliance.get': {
    quarter: string;
    jurisdiction: { code: string; name: Names };
    levels: readonly Level[];
    open: boolean;
    daysLeft: number | null;
    totals: LeaderCounts;
    children: LeaderUnit[];
    leads: { username: string; displayName: string; jurisdiction: string; visits: number }[];
  };
  'pairings.create': { pairing: PairingView };
  'pairings.list': { pairings: PairingView[] };
  'pairings.reassign': { ended: PairingView; pairing: PairingView };
  'pairings.pause': { pairing: PairingView };
  'pairings.resume': { pairing: PairingView };
  'pairings.end': { pairing: PairingView };
  'pairings.contactLeader': { pairing: PairingView };
  'pairings.change': { pairing: PairingView };
  'pairings.bulk': { results: BulkPairingResult[] };
  'pairings.workload': { liaisons: LiaisonWorkload[] };
  'pairings.rollOver': { results: RollOverResult[] };
  'submissions.list': { serviceYear: number; deadline: string; deadlineVersion: number; cities: CitySubmissionView[] };
  'submissions.create': { submission: SubmissionReceipt };
  'submissions.deadline': { deadline: YearDeadline };
  'coverage.get': { coverage: Coverage };
  'contacts.create': {
    contact: ContactView;
    warnings: { code: string; message: string; contactId: string; at: string }[];
  };
  'contacts.list': { contacts: ContactView[] };
  'contacts.recent': {
    at: string;
    contacts: { contactId: string; at: string; mode: Contact['mode']; mine: boolean }[];
  };
  'templates.current': { template: CheckupTemplate };
  'templates.create': { template: CheckupTemplate };
  'checkups.create': CheckupWithTemplate;
  'checkups.get': CheckupWithTemplate;
  'checkups.answer': { checkup: Checkup };
  'checkups.submit': { checkup: Checkup };
  'checkups.due': { today: string; intervalMonths: number; within: number; firms: DueCheckupView[] };
  'health.firm': { health: Health | null; warnings: HealthWarning[] };
  'warnings.get':
    | WarningBoard
    | ({ today: string; list: WarningList } & Partial<Record<WarningList, WarningPage<unknown>>>);
  'parks.list': { parkList: ParkList };
  'parks.save': { parkList: ParkList };
  'serviceItems.get': { catalogue: ServiceCatalogueView };
  'serviceItems.put': { catalogue: ServiceCatalogueView };
  'serviceItems.stats': ServiceStats;
  'suggestions.list': { suggestions: Suggestion[] };
  'suggestions.accept': { item: LedgerItemFull };
  'suggestions.dismiss': { suggestion: Named<Suggestion, 'decidedBy'> };
  'ledger.stats': LedgerStats;
  'ledger.list': { items: LedgerItemView[] };
  'compliance.get': ComplianceView;
  'compliance.open': { month: string; today: string; daysLeft: number; pairings: OpenPairing[] };
  'ledger.create': { item: LedgerItemFull };
  'ledger.get': { item: LedgerItemFull };
  'ledger.transition': { item: LedgerItemFull; confirmation?: ConfirmationNotice };
  'inbox.read': { id: string; read: boolean };
  'webhooks.get': { webhook: WebhookView | null };
  'webhooks.put': { webhook: WebhookView };
  'webhooks.test': { sent: boolean };
  'days.create': { day: StaffDay };
  'days.list': { days: StaffDay[] };
  'days.get': { day: StaffDay };
  'days.copy': { day: StaffDay; copiedFrom: string };
  'days.update': { day: StaffDay };
  'days.cancel': { day: StaffDay; cancelledBookings: number };
  'days.bookings': { bookings: StaffBooking[]; nextCursor: string | null };
  'days.message': DayMessageProgress;
  'bookings.attendance': { booking: Omit<StaffBooking, 'personal'> };

  'publicDays.list': { days: PublicDay[] };
  'publicCases.list': { cases: PublicCase[]; nextCursor: string | null };
  'cases.create': { case: StaffCase };
  'cases.list': { cases: StaffCase[]; nextCursor: string | null };
  'cases.update': { case: StaffCase };
  'cases.submit': { case: StaffCase };
  'cases.recommend': { case: StaffCase };
  'cases.return': { case: StaffCase };
  'cases.select': { case: StaffCase };
  'cases.publish': { case: StaffCase };
  'cases.unpublish': { case: StaffCase };
  'health.get': { status: string; version: string; time: string; jobs: { heartbeat: string | null } };
  'bookings.create': { booking: PublicBooking; resendAfterSeconds: number };
  'bookings.get': { booking: PublicBooking };
  'bookings.cancel': { booking: PublicBooking };
  'bookings.verify': { booking: PublicBooking };
  'bookings.resendCode': { resendAfterSeconds: number };
  'bookings.reschedule': { booking: PublicBooking };
  'bookingRecovery.start': { status: string; resendAfterSeconds: number };
  'bookingRecovery.verify': { bookings: PublicBooking[] };
  'confirmations.get': { item: ConfirmationView };
  'confirmations.answer': { state: LedgerState };
  'confirmations.rate': { rating: Rating };
  'firmSignIn.start': { status: string; resendAfterSeconds: number };
  'firmSignIn.verify': { token: string; expiresAt: string };
  'firmMe.get': FirmRecord;
  'firmRequests.create': { item: FirmRequestView };
  'firmCheckups.report': FirmCheckupReport;
  'firmBookings.create': { booking: PublicBooking };
  'firmEvidence.create': EvidenceUpload;
  'firmRatings.create': { rating: Rating };
  'selfInspections.template': { template: { version: number; items: FirmTemplateItem[] } };
  'selfInspections.create': { selfInspection: SelfInspection };
  'checkupRequests.create': { checkupRequest: CheckupRequest };
  'selfInspections.list': { selfInspections: SelfInspection[]; checkupRequest: CheckupRequest | null };
}

/** A firm's open or answered request for a check-up. */
export interface CheckupRequest {
  requestedAt: string;
  note: string | null;
  open: boolean;
}

/**
 * The routes no page reads as JSON, and why: a file a page saves from its path (`apiPath` /
 * `publicPath` and download.ts), a link it shows, or a route no page calls at all. The kit refuses
 * these ids; a page that comes to read one gives it an entry in `Answers` first (its view type in
 * shared/, its handler then held to it).
 */
export interface NotReadAsJson {
  /** The roster as a spreadsheet (roster page's download). */
  'enterprises.export': 'file';
  /** The roster import's empty template sheet (import page's download). */
  'enterprises.importTemplate': 'file';
  /** Pairings as a spreadsheet (pairings page's download). */
  'pairings.export': 'file';
  /** A city's frozen submission as a sheet (submissions page's download). */
  'submissions.export': 'file';
  /** Export box downloads (audit, ledger, compliance pages) and the deliveries page's. */
  'audit.export': 'file';
  'ledger.export': 'file';
  'compliance.export': 'file';
  'deliveries.export': 'file';
  /** A day's bookings as CSV or XLSX (the day page's downloads). */
  'days.bookingsCsv': 'file';
  'days.bookingsXlsx': 'file';
  /** A booking's .ics: the booking page links to it, the calendar app reads it. */
  'bookings.calendar': 'link';
  /** The firm issuer's OpenID metadata and keys: read by API Gateway's JWT authorizer, never by a page. */
  'firmIssuer.discovery': 'machine';
  'firmIssuer.jwks': 'machine';
  /** Admins' repair tools (recount from the facts), run from the runbook: no page calls them. */
  'compliance.recount': 'tool';
  'leaderCompliance.recount': 'tool';
  'ledger.recount': 'tool';
  /** The month's nudges: no page calls it (the console shows nudges through compliance and the inbox). */
  'nudges.list': 'tool';
}

/** The answer of a route as a page reads it: its entry above, or `unknown`. */
export type AnswerOf<K extends RouteId> = K extends keyof Answers ? Answers[K] : unknown;

/**
 * Routes that also answer a page of HTML, for a browser with JavaScript off asking for `text/html`
 * (the public lists): their handlers may return the page as a string.
 */
type HtmlToo = 'publicDays.list' | 'publicCases.list';

/** What a route's handler may return as its body (`createApi` checks each handler against it). */
export type HandlerAnswerOf<K extends RouteId> = K extends HtmlToo ? AnswerOf<K> | string : AnswerOf<K>;

/** Every key above is a route id: a renamed route fails the typecheck here. */
type Expect<T extends true> = T;
export type EveryAnswerIsARoute = Expect<Exclude<keyof Answers, RouteId> extends never ? true : false>;
/** Every route is typed above or said not to be read: a new route fails the typecheck here until it is one. */
export type EveryRouteIsDecided = Expect<
  Exclude<RouteId, keyof Answers | keyof NotReadAsJson> extends never ? true : false
>;
/** And never both. */
export type NoRouteIsBoth = Expect<Extract<keyof Answers, keyof NotReadAsJson> extends never ? true : false>;
