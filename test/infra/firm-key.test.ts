import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FunctionDef, functions } from '../../shared/functions.ts';
import { actionsOf, followOutput, type Json, type Resource, type Synthesized, synthesize, wiring } from './support.ts';

// Issue 16: firm tokens are signed by a KMS asymmetric key whose private half never leaves KMS; only
// the function that signs them in may use it, and only to sign and read the public half.
describe('the firm token key', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ skipBundling: true });
  });
  afterAll(() => synth?.cleanup());

  it('is an ECC P-256 signing key, kept when the stack goes, and cdk-nag passes', () => {
    expect(synth.synthError).toBeUndefined();
    const keys = synth.resources(synth.data, 'AWS::KMS::Key');
    expect(keys).toHaveLength(1);
    const [, key] = keys[0] as [string, Resource];
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('may be used by the signing function alone, to sign and read its public half only', () => {
    const [keyId] = synth.resources(synth.data, 'AWS::KMS::Key')[0] as [string, Resource];
    for (const fn of wiring(synth)) {
      const kms = fn.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
      if ((functions[fn.name].grants as FunctionDef['grants']).firmKey) {
        expect(kms.flatMap(actionsOf).sort(), fn.name).toEqual(['kms:GetPublicKey', 'kms:Sign']);
        expect(JSON.stringify(followOutput(synth.templates, (kms[0] as Json).Resource))).toContain(keyId);
        expect(JSON.stringify(followOutput(synth.templates, fn.variables.FIRM_KEY_ID))).toContain(keyId);
      } else {
        expect(kms, fn.name).toEqual([]);
        expect(fn.variables.FIRM_KEY_ID, fn.name).toBeUndefined();
      }
    }
    expect(
      Object.entries(functions)
        .filter(([, d]) => (d.grants as FunctionDef['grants']).firmKey)
        .map(([n]) => n),
    ).toEqual(['public']);
  });
});
