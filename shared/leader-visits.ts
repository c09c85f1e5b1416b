import * as z from 'zod/mini';
import { usccField } from './enterprise.ts';
import { knownJurisdiction } from './jurisdiction-input.ts';
import { type Level, levelOf } from './jurisdictions.ts';
import { firstDayOf } from './monthly.ts';
import { visitFields } from './pairing.ts';
import type { Role } from './roles.ts';

/**
 * The leaders' quarterly field service (issue 19): the leads of the levels a deployment names lead
 * a field service at least once a calendar quarter (Asia/Shanghai). The same engine as the monthly
 * rule with the period a quarter (shared/monthly.ts): a lead is held to a quarter when it held its
 * role (and jurisdiction) on the quarter's first day.
 */

/** The levels held to it when a deployment names none (CDK context `leaderVisitLevels`). */
export const DEFAULT_LEADER_LEVELS: readonly Level[] = ['city', 'province'];
const LEVELS: readonly Level[] = ['county', 'city', 'province'];

/** The levels of a deployment's setting (`LEADER_VISIT_LEVELS`, e.g. "county,city,province"); unknown ones are refused. */
export const leaderLevelsFrom = (text: string | undefined): readonly Level[] => {
  if (!text) return DEFAULT_LEADER_LEVELS;
  const levels = text
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  const unknown = levels.filter((l) => !(LEVELS as readonly string[]).includes(l));
  if (unknown.length > 0 || levels.length === 0)
    throw new Error(`Unknown leader visit levels: ${unknown.join(', ') || '(none)'}`);
  return levels as Level[];
};

/** What the rule needs of a staff account. `roleSince`: the Beijing day it took its role and jurisdiction. */
export interface LeadFacts {
  readonly role: Role;
  readonly jurisdiction: string;
  readonly enabled?: boolean | undefined;
  readonly roleSince?: string | undefined;
}

/** Whether a lead is held to a quarter: a lead of a held level since the quarter's first day at the latest. */
export const isLeadHeld = (lead: LeadFacts, quarter: string, levels: readonly Level[]): boolean =>
  lead.role === 'lead' &&
  lead.enabled !== false &&
  levels.includes(levelOf(lead.jurisdiction)) &&
  (lead.roleSince ?? '0000-00-00') <= firstDayOf(quarter);

export const leaderVisitInput = z.object({
  at: z.iso.datetime({ offset: true }),
  target: z.union([z.strictObject({ uscc: usccField }), z.strictObject({ jurisdiction: knownJurisdiction })]),
  ...visitFields,
});
export type LeaderVisitInput = z.output<typeof leaderVisitInput>;

export interface LeaderVisit {
  visitId: string;
  username: string;
  jurisdiction: string;
  quarter: string;
  /** Whether the lead was held to the quarter when it logged it (then it counts). */
  held: boolean;
  at: string;
  target: { uscc: string; firmName: string; county: string } | { jurisdiction: string };
  participants: string[];
  summary: string;
  evidenceIds: string[];
  loggedAt: string;
}

export interface LeaderCounts {
  held: number;
  visited: number;
  visits: number;
  missed: number;
  rate: number | null;
}
