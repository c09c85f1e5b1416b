import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Compiling takes a few seconds (the dictionaries' types), more on a busy machine: hence the timeouts.

/**
 * A page script's `m('…')` takes only keys the dictionaries define (`Say` of site/src/kit/messages.ts),
 * so a misspelt or removed key fails the typecheck instead of showing "something went wrong" in the
 * page. This compiles a small script the way `npm run typecheck` does and reads the diagnostics.
 */
const diagnosticsOf = (source: string): string[] => {
  const file = join(process.cwd(), 'site/src/scripts/__message-keys-probe.ts');
  const config = ts.readConfigFile(join(process.cwd(), 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, process.cwd());
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (name) => name === file || ts.sys.fileExists(name);
  host.readFile = (name) => (name === file ? source : readFile(name));
  host.getSourceFile = (name, version, ...rest) =>
    name === file ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
};

describe('message keys of a page script', () => {
  it('a key the dictionaries do not hold is a type error', () => {
    // Prepare
    const source = `import type { Say } from '../kit/messages.ts';
declare const m: Say;
m('console.retry');
m('console.status.cancelling');
m('console.status.nonsense');
`;

    // Act
    const errors = diagnosticsOf(source);

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('\'"console.status.nonsense"\'');
  }, 60_000);

  it('a key built from a value the shared unions do not allow is a type error too', () => {
    // Prepare
    const source = `import type { Say } from '../kit/messages.ts';
import type { TypedConsole } from './console.ts';
import type { LedgerState } from '../../../shared/ledger.ts';
declare const c: TypedConsole;
declare const state: LedgerState;
declare const free: string;
c.m(\`ledger.state.\${state}\`);
c.m(\`ledger.state.\${free}\`);
export type { Say };
`;

    // Act
    const errors = diagnosticsOf(source);

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/`ledger\.state\.\$\{string\}`/);
  }, 60_000);

  it('a key for free text takes only a prefix the dictionaries use, and checks inside `m` at once', () => {
    // Prepare: `keyFor` inside `m(…)` is how the pages use it; an earlier signature made each such
    // call cost minutes of the typecheck (it would time this test out).
    const source = `import type { Say } from '../kit/messages.ts';
import { keyFor } from '../kit/messages.ts';
declare const m: Say;
declare const free: string;
m(keyFor('booking.status.', free));
m('desk.checkIn.notConfirmed', { status: m(keyFor('roster.import.rule.', free)) });
m(keyFor('booking.nonsense.', free));
`;

    // Act
    const errors = diagnosticsOf(source);

    // Assess
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"booking.nonsense."');
  }, 60_000);
});
