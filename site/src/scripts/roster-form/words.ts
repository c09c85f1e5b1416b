/** The enterprise form's contact fields and the words of its problems, by field. */
import type { MessageKey } from '../../kit/messages.ts';

export const CONTACT_FIELDS = ['name', 'role', 'mobile', 'email'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];
export const CONTACT_LABELS: Record<ContactField, MessageKey> = {
  name: 'roster.contact.name',
  role: 'roster.contact.role',
  mobile: 'roster.contact.mobile',
  email: 'roster.contact.email',
};
export const CONTACT_ERRORS: Record<ContactField, MessageKey> = {
  name: 'roster.err.contactName',
  role: 'roster.err.contactRole',
  mobile: 'roster.err.contactMobile',
  email: 'roster.err.contactEmail',
};
export const FIELD_ERRORS: Record<string, MessageKey> = {
  name: 'roster.err.name',
  county: 'roster.err.county',
  address: 'roster.err.address',
  industry: 'roster.err.industry',
  size: 'roster.err.size',
  tier: 'roster.err.tier',
  permitNo: 'roster.err.permitNo',
  permitExpiresOn: 'roster.err.permitExpiresOn',
  status: 'roster.err.status',
  park: 'roster.err.park',
  types: 'roster.err.types',
};
export const MAX_CONTACTS = 10;
