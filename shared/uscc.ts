/**
 * Unified Social Credit Code (GB 32100-2015): 18 characters, the last a check character
 * computed from the first 17. Shared by the API and the booking form's inline validation.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters, or undefined if one is not in the alphabet. */
export const usccCheckChar = (first17: string): string | undefined => {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i] ?? '');
    if (value < 0) return undefined;
    sum += value * (WEIGHTS[i] as number);
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
};

export const isValidUscc = (value: string): boolean =>
  value.length === 18 && usccCheckChar(value.slice(0, 17)) === value[17];

/** Upper-cases and strips spaces, as people type codes from paper. */
export const normalizeUscc = (value: string): string => value.replace(/\s+/g, '').toUpperCase();
