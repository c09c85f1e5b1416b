import * as z from 'zod/mini';
import { MOBILE } from './consultation.ts';
import { usccField } from './enterprise.ts';

/** The bodies of the firm's SMS sign-in (functions/lib/firms/sign-in.ts), shared with the firm's pages. */
export const firmSignInStart = z.strictObject({
  uscc: usccField,
  mobile: z.string().check(z.trim(), z.regex(MOBILE, 'A mainland mobile number: 1[3-9] and 9 more digits')),
});

export const firmSignInVerify = z.strictObject({
  ...firmSignInStart.shape,
  code: z.string().check(z.regex(/^\d{6}$/, 'The six-digit code from the text message')),
});
