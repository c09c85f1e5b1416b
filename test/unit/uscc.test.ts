import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUscc, USCC_ALPHABET, usccCheckChar } from '../../shared/uscc.ts';

describe('Unified Social Credit Code', () => {
  it('accepts the examples of the spec', () => {
    for (const code of ['91350100M000100Y43', '91330100799655058B', '91110000710925462X', '914403001922038216']) {
      expect(isValidUscc(code), code).toBe(true);
    }
  });

  it('refuses a wrong check character, a wrong length and letters outside the alphabet', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100I000100Y43')).toBe(false);
  });

  it('detects every single-character change (property)', () => {
    const char = fc.constantFrom(...USCC_ALPHABET.split(''));
    fc.assert(
      fc.property(
        fc.array(char, { minLength: 17, maxLength: 17 }),
        fc.integer({ min: 0, max: 17 }),
        char,
        (body, at, other) => {
          const code = body.join('') + usccCheckChar(body.join(''));
          expect(isValidUscc(code)).toBe(true);
          fc.pre(code[at] !== other);
          expect(isValidUscc(code.slice(0, at) + other + code.slice(at + 1))).toBe(false);
        },
      ),
    );
  });
});
