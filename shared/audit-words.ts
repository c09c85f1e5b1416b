/**
 * The audit log in the bureau's words (issue 18), the part the browser runs: the fields a person reads
 * in a change, the words for their values, and an event's action and kind by name. The audit page and
 * the audit export (functions/staff/exports.ts) both describe events with it. It imports no schema
 * module, so the audit page stays small: a value has words when the reader's dictionary holds its key
 * (the page lists every such key through AUDIT_MESSAGE_KEYS in shared/audit.ts).
 */
import type { MessageKey } from './i18n.ts';
import { nameOf } from './jurisdictions.ts';

/**
 * The fields a person reads in a change, in the order shown. Anything else (ids, versions, stored
 * keys, counters) is bookkeeping and stays out of the summary.
 */
export const AUDIT_FIELDS = [
  'name',
  'firmName',
  'title',
  'status',
  'state',
  'liaison',
  'holder',
  'serviceYear',
  'startsOn',
  'endedOn',
  'mode',
  'at',
  'participants',
  'summary',
  'county',
  'address',
  'industry',
  'tier',
  'size',
  'contacts',
  'permitNo',
  'permitExpiresOn',
  'date',
  'venue',
  'topics',
  'severity',
  'source',
  'dueOn',
  'ownerDepartment',
  'note',
  'reason',
  'band',
  'score',
  'signerName',
  'displayName',
  'role',
  'jurisdiction',
  'mobile',
  'email',
  'enabled',
  'kind',
  'url',
  'signed',
] as const;
export type AuditField = (typeof AUDIT_FIELDS)[number];

/**
 * The key of a field's value, by the kind of record (a status means different things); undefined
 * when the field's values are not words (a name, a date).
 */
const valueKey = (kind: string, field: string, value: string): string | undefined => {
  if (field === 'status') {
    const prefix = STATUS_PREFIX[kind];
    return prefix ? `${prefix}${value}` : undefined;
  }
  if (field === 'mode') return kind === 'day' ? `days.mode.${value}` : `contactLog.mode.${value}`;
  const prefix = VALUE_PREFIX[field];
  return prefix ? `${prefix}${value}` : undefined;
};

/** Where a status's words are, by the kind of record. */
export const STATUS_PREFIX: Record<string, string> = {
  pairing: 'pairings.status.',
  enterprise: 'roster.status.',
  booking: 'booking.status.',
  case: 'staffCases.status.',
  day: 'console.status.',
};
/** Where other fields' words are. */
export const VALUE_PREFIX: Record<string, string> = {
  state: 'ledger.state.',
  size: 'roster.size.',
  tier: 'roster.tier.',
  severity: 'ledger.severity.',
  source: 'ledger.source.',
  role: 'role.',
  kind: 'webhooks.kind.',
};

/** What the description needs from its reader's side: words, names of people and firms, times. */
export interface AuditReader {
  lang: 'zh' | 'en';
  say: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** Whether the dictionary holds a key (a value without words is shown as it is). */
  has: (key: string) => key is MessageKey;
  /** A staff member's name for a username (the username itself only when no name is known). */
  person: (username: string) => string;
  /** A time as Beijing wall-clock. */
  time: (iso: string) => string;
}

const PEOPLE = new Set(['liaison', 'holder']);
const PLACES = new Set(['county', 'jurisdiction']);
const SECRET = /^(code|token|secret|[a-z]+Token|[a-z]+Secret)$/;
const MAX_TEXT = 80;

/** One value in words ('—' for none). */
export const auditValue = (reader: AuditReader, kind: string, field: string, value: unknown): string => {
  if (value === null || value === undefined || value === '') return reader.say('auditLog.none');
  if (SECRET.test(field)) return '***';
  if (typeof value === 'boolean') return reader.say(value ? 'auditLog.value.yes' : 'auditLog.value.no');
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return value.join(reader.lang === 'zh' ? '、' : ', ');
    return reader.say('auditLog.value.items', { n: value.length });
  }
  if (typeof value === 'object') return reader.say('auditLog.value.items', { n: Object.keys(value).length });
  const text = String(value);
  if (PEOPLE.has(field)) return reader.person(text);
  if (PLACES.has(field)) return nameOf(text, reader.lang);
  const key = valueKey(kind, field, text);
  if (key && reader.has(key)) return reader.say(key);
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return reader.time(text);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
};

export interface AuditChange {
  field: AuditField;
  label: string;
  before?: string;
  after: string;
}

const plain = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
/** A side of an event as its fields (a day's creation carries `{ day, slots }`: the day's). */
const unwrap = (v: unknown) => plain(plain(v)?.day) ?? plain(v);

/**
 * The usernames an event names: who did it and the people among its fields, so a page or a sheet
 * of events looks every name up at once (issue 18).
 */
export const auditPeople = (event: { actor?: unknown; before?: unknown; after?: unknown }): string[] => {
  const people = typeof event.actor === 'string' ? [event.actor] : [];
  for (const side of [unwrap(event.before), unwrap(event.after)])
    for (const field of PEOPLE) if (typeof side?.[field] === 'string') people.push(side[field] as string);
  return people;
};

/**
 * The readable fields of an event: for an edit those that changed (before → after), for a new record
 * what it was made with. A day's creation carries `{ day, slots }`: the day's own fields are read.
 */
export const auditChanges = (
  reader: AuditReader,
  event: { entity: string; before: unknown; after: unknown },
): AuditChange[] => {
  const kind = event.entity.split(':')[0] ?? '';
  const before = unwrap(event.before);
  const after = unwrap(event.after);
  const changes: AuditChange[] = [];
  for (const field of AUDIT_FIELDS) {
    const label = reader.say(`auditLog.field.${field}`);
    const a = after?.[field];
    if (before && after) {
      if (!(field in before) && !(field in after)) continue;
      if (JSON.stringify(before[field]) === JSON.stringify(a)) continue;
      changes.push({
        field,
        label,
        before: auditValue(reader, kind, field, before[field]),
        after: auditValue(reader, kind, field, a),
      });
    } else if (after && a !== undefined && a !== null && a !== '') {
      changes.push({ field, label, after: auditValue(reader, kind, field, a) });
    }
  }
  return changes;
};

/** An action's name; an action this build does not know yet reads as "other change", never a raw key. */
export const auditActionText = (reader: AuditReader, action: string): string => {
  const key = `auditLog.action.${action}`;
  return reader.has(key) ? reader.say(key) : reader.say('auditLog.action.other');
};

/** A kind of record's name. */
export const auditKindText = (reader: AuditReader, kind: string): string => {
  const key = `auditLog.entityType.${kind}`;
  return reader.has(key) ? reader.say(key) : reader.say('auditLog.entityType.other');
};
