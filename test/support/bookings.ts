import { httpEvent, invoke } from './events.ts';
import { fetchOutbox, type SentText, sentTexts, waitForOutbox } from './outbox.ts';
import type { Handler } from './table.ts';

/**
 * Anonymous bookings are holds until the booker types the SMS code sent to its mobile (issue 16):
 * these helpers read that code from the outbox, as the booker reads its phone.
 */
const holdCodeTexts = (entries: readonly { channel: string }[], mobile: string): SentText[] =>
  (entries as SentText[]).filter(
    (e) => e.channel === 'sms' && e.to === `+86${mobile}` && /预约验证码为 \d{6}/.test(e.text),
  );

/** The number of booking codes texted to `mobile` so far (the index of the next one). */
export const holdCodesSentTo = (mobile: string): number => holdCodeTexts(sentTexts(), mobile).length;

/** The `index`th (0-based) booking code texted to `mobile`, waiting for it to arrive. */
export const holdCodeSentTo = async (mobile: string, index: number, url?: string): Promise<string> => {
  const entries = await waitForOutbox((all) => holdCodeTexts(all, mobile).length > index, url ? { url } : {});
  return /预约验证码为 (\d{6})/.exec(holdCodeTexts(entries, mobile)[index]?.text ?? '')?.[1] ?? '';
};

/** The last code of some kind (`预约验证码` for bookings and recovery) texted to `mobile`. */
export const lastCodeSentTo = (mobile: string): string | undefined => {
  const texts = holdCodeTexts(sentTexts(), mobile);
  return /预约验证码为 (\d{6})/.exec(texts.at(-1)?.text ?? '')?.[1];
};

/**
 * Books as an anonymous booker does: the hold (202), then the code from the outbox, then verify.
 * Answers the hold's refusal as is, else the verification's answer (200 with the booking).
 */
export const bookAndVerify = async (
  publicFn: Handler,
  dayId: string,
  body: { mobile: string; [field: string]: unknown },
) => {
  const before = holdCodesSentTo(body.mobile);
  const held = await invoke(
    publicFn,
    httpEvent('POST', `/api/public/consultation-days/${dayId}/bookings`, { body: JSON.stringify(body) }),
  );
  if (held.status !== 202) return held;
  const smsCode = await holdCodeSentTo(body.mobile, before);
  return invoke(
    publicFn,
    httpEvent('POST', `/api/public/bookings/${held.json.booking.code}/verify`, {
      body: JSON.stringify({ smsCode }),
    }),
  );
};

/**
 * The same as `bookAndVerify` against a running product (e2e): the hold over HTTP, the code from
 * its outbox (`GET /api/local/outbox`), then verify. Answers the hold's refusal as is, else the
 * verification's answer (200 with the booking).
 */
export const bookOverHttp = async (
  url: string,
  dayId: string,
  body: { mobile: string; [field: string]: unknown },
): Promise<{ status: number; body: { booking?: { code: string; status: string } } & Record<string, unknown> }> => {
  const post = async (path: string, json: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, never> };
  };
  const before = holdCodeTexts(await fetchOutbox(url), body.mobile).length;
  const held = await post(`/api/public/consultation-days/${encodeURIComponent(dayId)}/bookings`, body);
  const code = (held.body as { booking?: { code?: string } }).booking?.code;
  if (held.status !== 202 || !code) return held;
  const smsCode = await holdCodeSentTo(body.mobile, before, url);
  return post(`/api/public/bookings/${code}/verify`, { smsCode });
};
