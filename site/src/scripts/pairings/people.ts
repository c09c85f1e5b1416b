/**
 * The people the pairings page names, read once and shared by its sections (the list, the new-pairing
 * form, the roll-over): the staff accounts in scope with each liaison's workload (leads and admins;
 * issue 20), and the names the pairings' answers carry (issue 18: a liaison reads no staff list, and
 * needs none).
 */
import { contains } from '../../../../shared/jurisdictions.ts';
import { api } from '../../kit/api.ts';
import type { TypedConsole } from '../console.ts';
import { type Pairing, personLabel, type StaffUser } from '../pairings-common.ts';

export interface People {
  /** A person by name: as an answer carried it, as the staff list has it, or the username. */
  personOf: (username: string) => string;
  /** The liaisons of a county (all of them, without one), in jurisdiction then username order. */
  liaisonsOf: (code?: string) => StaffUser[];
  /** 联系领导 candidates: enabled leads whose jurisdiction holds the county (the server checks the same). */
  leadsOver: (code: string) => StaffUser[];
  /** A liaison's label with its workload when known: every liaison picker shows it (new pairing, reassign). */
  liaisonLabel: (user: StaffUser) => string;
  /** Keeps the names a pairings answer carried. */
  heard: (pairings: readonly Pairing[]) => void;
  /** Reads the staff accounts and the workloads (leads and admins only; a liaison reads neither). */
  load: () => Promise<void>;
}

const byPlaceThenName = (a: StaffUser, b: StaffUser) =>
  a.jurisdiction.localeCompare(b.jurisdiction) || a.username.localeCompare(b.username);

export const peopleOf = (c: TypedConsole): People => {
  let users: StaffUser[] = [];
  const answered = new Map<string, string>();
  const workloads = new Map<string, { active: number; toContact: number }>();

  const personOf = (username: string): string =>
    answered.get(username) ??
    (username === c.me.username
      ? personLabel({ username, displayName: c.me.displayName ?? '' }, username)
      : personLabel(
          users.find((u) => u.username === username),
          username,
        ));

  const load = async () => {
    if (c.me.role === 'liaison') return;
    const [listed, loads] = await Promise.all([
      api('users.list', { token: c.token }),
      api('pairings.workload', { token: c.token }),
    ]);
    users = listed.ok && Array.isArray(listed.body.users) ? listed.body.users : [];
    if (!loads.ok || !Array.isArray(loads.body.liaisons)) return;
    workloads.clear();
    for (const l of loads.body.liaisons) workloads.set(l.username, { active: l.active, toContact: l.toContact });
  };

  return {
    personOf,
    liaisonsOf: (code) =>
      users
        .filter((u) => u.role === 'liaison' && (code === undefined || u.jurisdiction === code))
        .sort(byPlaceThenName),
    leadsOver: (code) =>
      users
        .filter((u) => u.role === 'lead' && u.enabled !== false && contains(u.jurisdiction, code))
        .sort(byPlaceThenName),
    liaisonLabel: (user) => {
      const label = personLabel(user, user.username);
      const work = workloads.get(user.username);
      return work ? c.m('pairings.load', { person: label, ...work }) : label;
    },
    heard: (pairings) => {
      for (const p of pairings) {
        answered.set(p.liaison, p.liaisonName);
        if (p.contactLeader && p.contactLeaderName) answered.set(p.contactLeader, p.contactLeaderName);
      }
    },
    load,
  };
};
