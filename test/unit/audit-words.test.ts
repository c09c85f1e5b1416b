import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_KINDS, AUDIT_MESSAGE_KEYS } from '../../shared/audit.ts';
import { AUDIT_FIELDS, STATUS_PREFIX, VALUE_PREFIX } from '../../shared/audit-words.ts';
import { CASE_STATUSES } from '../../shared/case-rules.ts';
import { BOOKING_STATUSES } from '../../shared/consultation.ts';
import { ENTERPRISE_STATUSES, SIZES, TIERS } from '../../shared/enterprise.ts';
import { messages } from '../../shared/i18n.ts';
import { LEDGER_SOURCES, LEDGER_STATES, SEVERITIES } from '../../shared/ledger.ts';
import { PAIRING_STATUSES } from '../../shared/pairing.ts';
import { ROLES } from '../../shared/roles.ts';

// Issue 18: the audit log in the bureau's words. Every action the server may record, every kind of
// record and every field shown has a Chinese name without Latin letters and an English one, and every
// value a description turns into words is among the keys the audit page ships.
const zh = messages.zh as Record<string, string>;
const en = messages.en as Record<string, string>;

describe('the audit vocabulary', () => {
  it('names every action, kind and field in Chinese (no Latin letters) and in English', () => {
    // Prepare
    const keys = [
      ...AUDIT_ACTIONS.map((a) => `auditLog.action.${a}`),
      ...AUDIT_KINDS.map((k) => `auditLog.entityType.${k}`),
      ...AUDIT_FIELDS.map((f) => `auditLog.field.${f}`),
    ];

    // Act
    const missing = keys.filter((k) => !zh[k] || !en[k]);
    const latin = keys.filter((k) => /[A-Za-z]/.test(zh[k] ?? ''));

    // Assess
    expect(missing).toEqual([]);
    expect(latin).toEqual([]);
  });

  it('ships the words of every stored value the description translates', () => {
    // Prepare
    const values: Record<string, readonly string[]> = {
      [STATUS_PREFIX.pairing as string]: PAIRING_STATUSES,
      [STATUS_PREFIX.enterprise as string]: ENTERPRISE_STATUSES,
      [STATUS_PREFIX.booking as string]: BOOKING_STATUSES,
      [STATUS_PREFIX.case as string]: CASE_STATUSES,
      [VALUE_PREFIX.state as string]: LEDGER_STATES,
      [VALUE_PREFIX.size as string]: SIZES,
      [VALUE_PREFIX.tier as string]: TIERS,
      [VALUE_PREFIX.severity as string]: SEVERITIES,
      [VALUE_PREFIX.source as string]: LEDGER_SOURCES,
      [VALUE_PREFIX.role as string]: ROLES,
    };

    // Act
    const shipped = new Set<string>(AUDIT_MESSAGE_KEYS);
    const wanted = Object.entries(values).flatMap(([prefix, list]) => list.map((v) => `${prefix}${v}`));

    // Assess
    expect(wanted.filter((k) => !shipped.has(k))).toEqual([]);
    expect(wanted.filter((k) => /[A-Za-z]/.test(zh[k] ?? 'x'))).toEqual([]);
  });
});
