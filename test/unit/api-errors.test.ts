import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorKey, fieldsOfIssues, isErrorCode } from '../../shared/api-errors.ts';
import { errorMessage, LANGS, messages } from '../../shared/i18n.ts';

const root = resolve(import.meta.dirname, '../..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });

/**
 * The codes the server's source answers with: the first argument (after a status) of an error's
 * constructor, also across lines, and the `code` of an error envelope written out by hand (the
 * 500 of the handler, the local gateway and runtime, the WAF's refusal).
 */
const emittedCodes = (): Map<string, string> => {
  const found = new Map<string, string>();
  const patterns = [
    /\b(?:new\s+\w*Error|super)\(\s*(?:\d+\s*,\s*)?'([A-Z][A-Z0-9_]*)'/g,
    /\berror:\s*\{\s*code:\s*'([A-Z][A-Z0-9_]*)'/g,
    /:\s*ErrorBody\s*=\s*\{\s*code:\s*'([A-Z][A-Z0-9_]*)'/g,
  ];
  const dirs = ['functions', 'infra/local', 'infra/stacks'].map((d) => join(root, d));
  for (const file of dirs.flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns)
      for (const match of text.matchAll(pattern)) found.set(match[1] as string, file.slice(root.length + 1));
  }
  return found;
};

describe('the error contract', () => {
  it('lists every error code the server source emits, and no code it never emits', () => {
    // Prepare
    const emitted = emittedCodes();
    // Act
    const unlisted = [...emitted].filter(([code]) => !isErrorCode(code)).map(([code, file]) => `${code} (${file})`);
    const unused = ERROR_CODES.filter((code) => !emitted.has(code));
    // Assess
    expect(emitted.size).toBeGreaterThanOrEqual(20);
    expect(unlisted).toEqual([]);
    expect(unused).toEqual([]);
  });

  it('has a message of its own for every code in both languages', () => {
    for (const lang of LANGS) {
      for (const code of ERROR_CODES) {
        const text = messages[lang][errorKey(code)];
        expect(text, `${lang} ${code}`).toBeTruthy();
        // Only INTERNAL may read as "something went wrong".
        if (code !== 'INTERNAL') expect(text, `${lang} ${code}`).not.toBe(messages[lang]['error.INTERNAL']);
      }
    }
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('reads a code it does not know, or no code, as INTERNAL', () => {
    expect(errorKey('NO_SUCH_CODE')).toBe('error.INTERNAL');
    expect(errorKey(undefined)).toBe('error.INTERNAL');
    expect(errorKey({ code: 'SLOT_FULL' })).toBe('error.INTERNAL');
    expect(errorKey('toString')).toBe('error.INTERNAL');
    expect(errorMessage('en', 'IMPORT_REJECTED')).toBe(messages.en['error.IMPORT_REJECTED']);
  });

  it('maps validation issues to one message per field path, `_` for the whole value', () => {
    const fields = fieldsOfIssues([
      { path: ['slots', 0, 'capacity'], message: 'Too small' },
      { path: ['slots', 0, 'capacity'], message: 'Not an integer' },
      { path: [], message: 'Expected an object' },
      { path: [Symbol('odd')], message: 'Symbol key' },
    ]);
    expect(fields).toEqual({
      'slots.0.capacity': 'Too small',
      _: 'Expected an object',
      'Symbol(odd)': 'Symbol key',
    });
  });
});

describe('browser scripts and the dictionaries', () => {
  it('never import a value from shared/i18n.ts, which would ship both dictionaries whole', () => {
    // Prepare: every browser module (the sign-in page's script shipped 31 KB gzip of messages for one errorKey)
    const files = sourceFiles(join(root, 'site/src'));
    // Act
    const offenders = files.filter((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^import\s+(type\s+)?[^;]*?from\s+'[./]*shared\/i18n\.ts'/gms)].some(
        (match) => match[1] === undefined,
      ),
    );
    // Assess
    expect(files.length).toBeGreaterThan(20);
    expect(offenders.map((file) => file.slice(root.length + 1))).toEqual([]);
  });
});
