import { describe, expect, it } from 'vitest';
import { type MessageKey, messages, type Words, wordKeys } from '../../shared/i18n.ts';
import { SEVERITIES } from '../../shared/ledger.ts';

/**
 * A page names the words its script shows as keys and sections (`'ledger.severity.*'`); the build
 * spells the sections out (site/src/components/Page.astro). Component frontmatter is not
 * typechecked, so a word that names nothing must stop the build rather than ship a page without it.
 */
describe('the words a page names', () => {
  it('a section is every key under it, and only those', () => {
    // Prepare
    const words: Words[] = ['ledger.severity.*'];

    // Act
    const keys = wordKeys(words);

    // Assess
    expect(keys.sort()).toEqual(SEVERITIES.map((severity) => `ledger.severity.${severity}`).sort());
  });

  it('a section ends at a dot: ledger.* does not take the ledgerStats words', () => {
    // Act
    const keys = wordKeys(['ledger.*']);

    // Assess
    expect(keys).toContain('ledger.severity.low');
    expect(keys.filter((key) => !key.startsWith('ledger.'))).toEqual([]);
    const ledgerKeys = Object.keys(messages.zh).filter((key) => key.startsWith('ledger.'));
    expect(keys).toHaveLength(ledgerKeys.length);
  });

  it('a key named twice, or also by its section, is shipped once', () => {
    // Act
    const keys = wordKeys(['ledger.severity.low', 'ledger.severity.*', 'ledger.severity.low', 'console.retry']);

    // Assess
    expect(keys).toHaveLength(SEVERITIES.length + 1);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a word that names no key stops the build', () => {
    // Prepare: what a misspelling in a page's frontmatter would pass (the typecheck does not see it).
    const misspelt = ['ledger.severty.*', 'console.retyr'] as unknown as Words[];

    // Act / Assess
    expect(() => wordKeys([misspelt[0] as Words])).toThrow(/ledger\.severty\.\*/);
    expect(() => wordKeys([misspelt[1] as Words])).toThrow(/console\.retyr/);
    expect(wordKeys(['console.retry' satisfies MessageKey])).toEqual(['console.retry']);
  });
});
