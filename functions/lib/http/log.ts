import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Bearer secrets of the requests in flight (path parameters the route table marks `secret`: a
 * booking code, a confirmation token), with how many requests hold each. Every log line shows them
 * as `***`, wherever they appear: a message, an attribute, an error's message or stack. A set rather
 * than the current request's own, because the local runtime serves many requests in one process;
 * hiding another request's secret as well costs nothing.
 */
const hidden = new Map<string, number>();

/** Hides these values in every log line until the returned release is called. */
export const hideInLogs = (values: readonly string[]): (() => void) => {
  // Short values would mask ordinary words; secrets are long (a booking code has 20 characters).
  const secrets = values.filter((v) => v.length >= 8);
  for (const secret of secrets) hidden.set(secret, (hidden.get(secret) ?? 0) + 1);
  return () => {
    for (const secret of secrets) {
      const left = (hidden.get(secret) ?? 1) - 1;
      if (left > 0) hidden.set(secret, left);
      else hidden.delete(secret);
    }
  };
};

const redact = (text: string): string => {
  let out = text;
  for (const secret of hidden.keys()) if (out.includes(secret)) out = out.replaceAll(secret, '***');
  return out;
};

/**
 * Structured JSON logs; each request appends its request id and route. The replacer sees every
 * string of a line as it is serialised (errors too, once the logger has turned them into objects).
 */
export const logger = new Logger({
  serviceName: 'eco-liaison',
  jsonReplacerFn: (_key: string, value: unknown) =>
    typeof value === 'string' && hidden.size > 0 ? redact(value) : value,
});
