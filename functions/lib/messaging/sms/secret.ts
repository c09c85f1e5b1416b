import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SmsError } from './settings.ts';

/** How long a read secret is reused: rotation takes effect within this, without a read per message. */
const CACHE_MS = 10 * 60 * 1000;

let client: SecretsManagerClient | undefined;
const cache = new Map<string, { value: Record<string, unknown>; until: number }>();

/**
 * The provider's API key, read from Secrets Manager (a JSON object) and kept for a while. The key
 * is never in the repository or the function's environment: only the secret's ARN is.
 */
export const providerSecret = async (arn: string | undefined): Promise<Record<string, unknown>> => {
  if (!arn) throw new SmsError('SMS secret not configured');
  const hit = cache.get(arn);
  if (hit && hit.until > Date.now()) return hit.value;
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  client ??= new SecretsManagerClient({});
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch {
    throw new SmsError('SMS secret unavailable');
  }
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null) throw new SmsError('SMS secret is not a JSON object');
  cache.set(arn, { value: value as Record<string, unknown>, until: Date.now() + CACHE_MS });
  return value as Record<string, unknown>;
};

/** A named string field of the secret; missing → a failure naming the field, never its value. */
export const secretField = (secret: Record<string, unknown>, name: string): string => {
  const value = secret[name];
  if (typeof value !== 'string' || value === '') throw new SmsError(`SMS secret lacks ${name}`);
  return value;
};

/** Forgets read secrets (tests). */
export const forgetSecrets = (): void => cache.clear();
