/**
 * The year roll-over (issue 19, "pair a batch, serve a batch, add a batch"): a lead carries the
 * pairings of service year Y into Y+1, keeping each (a new pairing in Y+1, same firm, liaison,
 * mentor and contact leader) or ending it with a reason; new firms are then paired through the
 * ordinary pairing forms. The request's schema; its constants and answer shapes are in roll-over-views.ts.
 */
import * as z from 'zod/mini';
import { END_REASONS, ROLL_OVER_MAX } from './roll-over-views.ts';

const pairingId = z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a pairing id'));
/** The pairing's version as the page read it: a pairing changed since answers VERSION_CONFLICT. */
const version = z.optional(z.number().check(z.int(), z.minimum(1)));

const keepDecision = z.object({ pairingId, action: z.literal('keep'), version });
const endDecision = z
  .object({
    pairingId,
    action: z.literal('end'),
    reason: z.enum(END_REASONS),
    note: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    version,
  })
  .check(
    z.refine((d) => d.reason !== 'other' || d.note !== undefined, {
      message: 'Say why, when the reason is “other”',
      path: ['note'],
    }),
  );

const year = z.number().check(z.int(), z.minimum(2020), z.maximum(2100));

export const rollOverInput = z
  .object({
    /** Made by the page for one press of the button (kept on each decision, for the audit trail). */
    requestId: z.string().check(z.regex(/^[A-Za-z0-9-]{8,64}$/, 'A request id of 8 to 64 letters, digits or dashes')),
    from: year,
    to: year,
    decisions: z.array(z.discriminatedUnion('action', [keepDecision, endDecision])).check(
      z.minLength(1),
      z.maxLength(ROLL_OVER_MAX),
      z.refine((ds) => new Set(ds.map((d) => d.pairingId)).size === ds.length, 'The same pairing is listed twice'),
    ),
  })
  .check(z.refine((v) => v.to === v.from + 1, { message: 'The next service year after “from”', path: ['to'] }));
export type RollOverInput = z.output<typeof rollOverInput>;
export type RollOverDecision = RollOverInput['decisions'][number];
