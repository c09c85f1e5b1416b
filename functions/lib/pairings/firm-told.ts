import { keys } from '../../../shared/keys.ts';
import { firmPaired } from '../../../shared/messages/outgoing.ts';
import type { Delivery } from '../messaging/deliveries.ts';
import { messagePut } from '../messaging/outgoing.ts';
import { getRecord } from '../store/table.ts';

/**
 * Issue 16, "tell the firm": a firm hears who its liaison is when it is paired (or handed to
 * another liaison), in the transaction that makes the pairing, once per pairing (`pairing:<id>`,
 * kind `paired`): a text message to each of its contacts' mobiles and an e-mail to its first
 * address, naming the liaison and the liaison's mobile. A firm with no contact is told nothing.
 */

/** How many of a firm's contacts are texted (a roster lists up to ten; the first few are its own). */
const MOBILES = 3;
/** The message's personal data (the firm's addresses) is kept this long: 30 days. */
const KEEP_S = 30 * 86_400;

export interface FirmToTell {
  readonly name: string;
  readonly contacts: readonly { readonly mobile?: string | undefined; readonly email?: string | undefined }[];
}

/** What the firm is told of its liaison: the name it goes by and its mobile, as the liaison's profile has them. */
export const liaisonToTell = async (username: string) => {
  const profile = await getRecord<{ displayName?: string; mobile?: string }>(keys.user(username), {
    consistent: true,
  });
  return { name: profile?.displayName ?? username, mobile: profile?.mobile };
};

/** The firm's channels: each distinct mobile of its first contacts by text, its first e-mail. */
export const channelsOf = (firm: FirmToTell): Delivery[] => {
  const mobiles = [...new Set(firm.contacts.flatMap((c) => (c.mobile ? [c.mobile] : [])))].slice(0, MOBILES);
  const email = firm.contacts.find((c) => c.email)?.email;
  return [
    ...(email ? [{ channel: 'email' as const, to: email, status: 'pending' as const, attempts: 0 }] : []),
    ...mobiles.map((to) => ({ channel: 'sms' as const, to, status: 'pending' as const, attempts: 0 })),
  ];
};

/** The Put of the firm's message for a new pairing (none when the firm gave no contact); for the pairing's transaction. */
export const pairedMessagePuts = (
  pairing: { readonly pairingId: string; readonly county: string },
  firm: FirmToTell | undefined,
  liaison: { readonly name: string; readonly mobile?: string | undefined } | undefined,
  now: Date,
) => {
  if (!firm || !liaison) return [];
  const deliveries = channelsOf(firm);
  if (deliveries.length === 0) return [];
  return [
    messagePut(
      {
        about: `pairing:${pairing.pairingId}`,
        kind: 'paired',
        occasion: '',
        jurisdiction: pairing.county,
        content: firmPaired(firm.name, liaison.name, liaison.mobile),
        deliveries,
        expiresAt: Math.floor(now.getTime() / 1000) + KEEP_S,
      },
      now,
    ),
  ];
};
