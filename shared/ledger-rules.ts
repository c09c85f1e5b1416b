import type { Role } from './roles.ts';

// The ledger's states, sources and moves, without zod: the console imports them, and only a page that
// checks a form loads the schemas (shared/ledger.ts, which re-exports this file), on first use.

/**
 * The service ledger ("one event, one order; one enterprise, one account"): each problem of a firm
 * is an item that moves from collected to closed. The state machine is data, shared by the API
 * (which enforces it) and the console (which offers only the moves a role may make).
 */
export const LEDGER_STATES = ['collected', 'handed_over', 'in_progress', 'resolved', 'closed', 'cancelled'] as const;

export type LedgerState = (typeof LEDGER_STATES)[number];

export const OPEN_STATES: readonly LedgerState[] = ['collected', 'handed_over', 'in_progress', 'resolved'];

/**
 * `firm`: raised by the firm itself on its difficulties card (POST /api/firm/requests), never by staff.
 * `self_inspection`: a firm's self-inspection finding its liaison accepted (shared/self-inspection.ts).
 * `rating`: the call-back a low rating of the firm asks of the unit's leads (functions/lib/ledger/ratings.ts).
 */
export const LEDGER_SOURCES = [
  'contact',
  'checkup',
  'booking',
  'request',
  'firm',
  'self_inspection',
  'rating',
] as const;

export const SEVERITIES = ['low', 'medium', 'high'] as const;

export type Severity = (typeof SEVERITIES)[number];

const MANAGERS: readonly Role[] = ['lead', 'admin'];

const EVERYONE: readonly Role[] = ['liaison', 'lead', 'admin'];

/** Every allowed move and who may make it; anything else is 409 INVALID_TRANSITION. */
export const TRANSITIONS: Record<LedgerState, Partial<Record<LedgerState, readonly Role[]>>> = {
  collected: { handed_over: MANAGERS, in_progress: EVERYONE, cancelled: MANAGERS },
  handed_over: { in_progress: EVERYONE, cancelled: MANAGERS },
  in_progress: { resolved: EVERYONE, handed_over: MANAGERS, cancelled: MANAGERS },
  // Closing needs the firm's confirmation (public page) or a lead's override with a reason;
  // back to in progress when the firm is not satisfied.
  resolved: { closed: MANAGERS, in_progress: EVERYONE, cancelled: MANAGERS },
  closed: {},
  cancelled: {},
};

export const canMove = (from: LedgerState, to: LedgerState, role: Role): boolean =>
  TRANSITIONS[from][to]?.includes(role) ?? false;

/** The moves a role may make from a state (what the console offers). */
export const movesFrom = (from: LedgerState, role: Role): LedgerState[] =>
  (Object.keys(TRANSITIONS[from]) as LedgerState[]).filter((to) => canMove(from, to, role));
