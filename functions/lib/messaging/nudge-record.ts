import { keys } from '../../../shared/keys.ts';

/**
 * What a nudge is about: one subject (a pairing's id, or a lead's `keys.leaderSubject`) in one period
 * (a month for the monthly rule, a quarter for the leaders' rule) and one kind (`reminder`, `missed`,
 * `escalation`…). Its id and keys derive from these three, so any run of any job writes a nudge once.
 */
export interface NudgeFacts {
  readonly subject: string;
  readonly period: string;
  readonly kind: string;
  readonly county: string;
  readonly uscc: string;
  readonly firmName: string;
  readonly liaison: string;
  readonly lastQualifyingContactAt: string | null;
  readonly createdAt: string;
}

/**
 * The one definition of the nudge record: its key (`NUDGE#…`), its place in the byScope index (the
 * period's nudges inside a jurisdiction, what compliance and the nudge lists read) and its type tag.
 * The monthly job, the liaisons' reminders and the leaders' job add their own attributes beside it.
 */
export const nudgeRecord = (n: NudgeFacts) => {
  const nudgeId = `${n.subject}:${n.period}:${n.kind}`;
  return {
    key: keys.nudge(n.subject, n.period, n.kind),
    nudgeId,
    item: {
      ...keys.nudgeScope(n.period, n.county, n.kind, n.subject),
      type: 'nudge',
      nudgeId,
      pairingId: n.subject,
      uscc: n.uscc,
      firmName: n.firmName,
      county: n.county,
      liaison: n.liaison,
      month: n.period,
      kind: n.kind,
      lastQualifyingContactAt: n.lastQualifyingContactAt,
      createdAt: n.createdAt,
    },
  };
};
