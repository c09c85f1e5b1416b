/** The booking form's fields, and what the API receives from them. */
export const FIELDS = [
  'uscc',
  'companyName',
  'contactName',
  'mobile',
  'email',
  'topic',
  'question',
  'consent',
] as const;
export type Field = (typeof FIELDS)[number];
export const isField = (name: string): name is Field => (FIELDS as readonly string[]).includes(name);

/** What the API receives: trimmed, USCC upper-cased without spaces, mobile without spaces or +86. */
export interface Values {
  slotId: string;
  uscc: string;
  companyName: string;
  contactName: string;
  mobile: string;
  email?: string;
  topic: string;
  question: string;
  consent: boolean;
}

export const normalizeMobile = (value: string): string =>
  value.replace(/[\s()-]/g, '').replace(/^(?:\+|00)?86(?=1\d{10}$)/, '');
