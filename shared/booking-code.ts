/**
 * Booking codes: 20 characters from a 32-letter alphabet without look-alikes (no I, O, 0, 1),
 * 100 random bits, unguessable (rule 3). Shared so the site can check a typed code's shape.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 20;
export const BOOKING_CODE = /^[A-HJ-NP-Z2-9]{20}$/;
