import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { knownJurisdiction } from '../../shared/jurisdiction-input.ts';
import { contains, isKnownJurisdiction, levelOf, nameOf, parentOf } from '../../shared/jurisdictions.ts';

describe('jurisdiction codes', () => {
  it('knows the level of a code', () => {
    expect([levelOf('320000'), levelOf('320500'), levelOf('320506')]).toEqual(['province', 'city', 'county']);
  });

  it('lets a city lead see every county of the city and nothing else', () => {
    expect(contains('320500', '320506')).toBe(true);
    expect(contains('320500', '320507')).toBe(true);
    expect(contains('320500', '320500')).toBe(true);
    expect(contains('320500', '320281')).toBe(false);
    expect(contains('320500', '320000')).toBe(false);
  });

  it('keeps a county to itself and a province to its own codes', () => {
    expect(contains('320506', '320507')).toBe(false);
    expect(contains('320000', '320281')).toBe(true);
    expect(contains('320000', '330100')).toBe(false);
  });

  it('refuses malformed codes instead of matching by prefix', () => {
    expect(contains('3205', '320506')).toBe(false);
    expect(contains('320500', '3205061')).toBe(false);
    expect(contains('320500', '')).toBe(false);
  });

  it('walks up county → city → province', () => {
    expect(parentOf('320506')).toBe('320500');
    expect(parentOf('320500')).toBe('320000');
    expect(parentOf('320000')).toBeUndefined();
    expect(nameOf('320506', 'en')).toBe('Wuzhong District');
    expect(nameOf('999999')).toBe('999999');
  });
});

describe('known jurisdiction codes', () => {
  it('takes the codes the service knows and refuses well-formed codes it does not', () => {
    expect(['320000', '320500', '320506', '320281'].every(isKnownJurisdiction)).toBe(true);
    for (const code of ['320599', '329999', '999999', '32050', '3205061', '', 'toString', '__proto__']) {
      expect(isKnownJurisdiction(code), code).toBe(false);
      expect(z.safeParse(knownJurisdiction, code).success, code).toBe(false);
    }
  });
});
