/**
 * The audit log's vocabulary (issue 18): every action the server records (auditPut takes only these,
 * so a new one cannot reach the log without its name) and every kind of record, and the message keys
 * the description needs (shared/audit-words.ts describes events with them; the audit page lists the
 * keys, so one missing from the dictionaries fails the typecheck). Server and page builds only: the
 * value lists come from schema modules the browser need not load.
 */

import { AUDIT_FIELDS } from './audit-words.ts';
import { CASE_ACTIONS, CASE_STATUSES } from './case-rules.ts';
import { BOOKING_STATUSES, MODES } from './consultation.ts';
import { ENTERPRISE_STATUSES, SIZES, TIERS } from './enterprise.ts';
import type { MessageKey } from './i18n.ts';
import { LEDGER_SOURCES, LEDGER_STATES, SEVERITIES } from './ledger.ts';
import { PAIRING_STATUSES } from './pairing.ts';
import { ROLES, type Role } from './roles.ts';
import type { Named } from './staff-user.ts';

export const AUDIT_ACTIONS = [
  'booking.attendance',
  'case.create',
  'case.edit',
  ...CASE_ACTIONS.map((a) => `case.${a}` as const),
  'checkup.answer',
  'checkup.create',
  'checkup.findings',
  'checkup.submit',
  'checkupRequest.create',
  'contact.log',
  'day.cancel',
  'day.create',
  'day.message',
  'day.update',
  'enterprise.create',
  'enterprise.update',
  'enterprise.import.create',
  'enterprise.import.update',
  'inbox.read',
  'leaderVisit.log',
  'ledger.create',
  'ledger.rated',
  'ledger.confirmed',
  'ledger.reopened',
  ...LEDGER_STATES.map((s) => `ledger.${s}` as const),
  'message.retry',
  'pairing.contactLeader',
  'pairing.cadence',
  'pairing.create',
  'pairing.reassign',
  'pairing.rollOver.end',
  'pairing.rollOver.keep',
  'parks.save',
  ...PAIRING_STATUSES.map((s) => `pairing.${s}` as const),
  'selfInspection.submit',
  'serviceItems.save',
  'submission.deadline',
  'submission.submit',
  'suggestion.accept',
  'suggestion.dismiss',
  'template.version',
  'user.create',
  'user.update',
  'webhook.set',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** An audit event as `auditPut` stores it: who, when, what, before and after (rule 8). */
export interface AuditEvent {
  eventId: string;
  at: string;
  /** A username, or a firm's own move (`firm:<uscc>`) with the role `firm`. */
  actor: string;
  role: Role | 'firm';
  entity: string;
  jurisdiction: string;
  /** A string, not `AuditAction`: the log keeps events of actions a later build may have renamed. */
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** An event as the audit log lists it (`audit.list`): its actor by name too (issue 18). */
export type AuditEventView = Named<AuditEvent, 'actor'>;

/** The kinds of record an event names (`<kind>:<key>`). */
export const AUDIT_KINDS = [
  'pairing',
  'enterprise',
  'day',
  'booking',
  'user',
  'ledger',
  'checkup',
  'checkupRequest',
  'case',
  'catalogue',
  'template',
  'inbox',
  'leader',
  'selfInspection',
  'submission',
  'suggestion',
  'webhook',
  'parks',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];
export const isAuditKind = (kind: string): kind is AuditKind => (AUDIT_KINDS as readonly string[]).includes(kind);

/**
 * Every message key the description may use: the audit page lists them for its script, so one
 * missing from the dictionaries fails the typecheck.
 */
export const AUDIT_MESSAGE_KEYS: MessageKey[] = [
  ...AUDIT_ACTIONS.map((a) => `auditLog.action.${a}` as const),
  ...AUDIT_KINDS.map((k) => `auditLog.entityType.${k}` as const),
  ...AUDIT_FIELDS.map((f) => `auditLog.field.${f}` as const),
  ...CASE_STATUSES.map((s) => `staffCases.status.${s}` as const),
  'auditLog.action.other',
  'auditLog.entityType.other',
  'auditLog.value.yes',
  'auditLog.value.no',
  'auditLog.value.items',
  'auditLog.none',
  'auditLog.created',
  ...PAIRING_STATUSES.map((s) => `pairings.status.${s}` as const),
  ...ENTERPRISE_STATUSES.map((s) => `roster.status.${s}` as const),
  ...BOOKING_STATUSES.map((s) => `booking.status.${s}` as const),
  ...(['open', 'cancelled', 'cancelling'] as const).map((s) => `console.status.${s}` as const),
  ...LEDGER_STATES.map((s) => `ledger.state.${s}` as const),
  ...SIZES.map((s) => `roster.size.${s}` as const),
  ...TIERS.map((s) => `roster.tier.${s}` as const),
  ...SEVERITIES.map((s) => `ledger.severity.${s}` as const),
  ...LEDGER_SOURCES.map((s) => `ledger.source.${s}` as const),
  ...ROLES.map((s) => `role.${s}` as const),
  ...MODES.map((s) => `days.mode.${s}` as const),
  ...(['visit', 'video', 'phone', 'meeting'] as const).map((s) => `contactLog.mode.${s}` as const),
  'webhooks.kind.wecom',
  'webhooks.kind.dingtalk',
];
