import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USER_POOL_ACTIONS } from '../../infra/constructs/grants.ts';
import { ROOT } from '../../infra/local/runtime.ts';

/**
 * The local stand-in accepts any operation from anyone, so a user-pool call the function makes but
 * IAM does not grant would only fail once deployed: every `Admin…Command` the accounts code sends
 * must be in the staff function's grant, and the grant holds nothing it does not send.
 */
describe('the staff function’s user-pool grant', () => {
  it('names exactly the operations the accounts code sends', () => {
    // Prepare
    const source = readFileSync(join(ROOT, 'functions/lib/accounts/logins.ts'), 'utf8');

    // Act
    const sent = [...new Set([...source.matchAll(/sdk\.(Admin\w+)Command\b/g)].map((m) => `cognito-idp:${m[1]}`))];

    // Assess
    expect(sent.length).toBeGreaterThan(3);
    expect([...USER_POOL_ACTIONS].sort()).toEqual(sent.sort());
  });
});
