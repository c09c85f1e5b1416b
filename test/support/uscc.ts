import { randomInt } from 'node:crypto';
import { USCC_ALPHABET, usccCheckChar } from '../../shared/uscc.ts';

/** A random valid Unified Social Credit Code. */
export const randomUscc = (): string => {
  const body = Array.from({ length: 17 }, () => USCC_ALPHABET[randomInt(USCC_ALPHABET.length)]).join('');
  return body + usccCheckChar(body);
};

/** `count` distinct valid codes. */
export const distinctUsccs = (count: number): string[] => {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(randomUscc());
  return [...codes];
};
