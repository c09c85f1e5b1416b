import { randomUUID } from 'node:crypto';
import { httpEvent, invoke } from './events.ts';
import { fetchOutbox, messagesAbout, type SentText, sentTexts, waitForOutbox } from './outbox.ts';
import type { Handler } from './table.ts';
import { randomUscc } from './uscc.ts';

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
 * The code of one hold, once its text went out. Several holds may text one mobile at once (a test
 * racing bookings from one number), so the hold's own message (recorded with it) tells which code
 * is its; the answer waits until the deliveries function recorded that text as sent (to the SMS
 * stand-in, or to a mocked provider). The texts themselves: `holdCodeSentTo`.
 */
const codeOfHold = async (bookingCode: string, mobile: string): Promise<string> => {
  const deadline = Date.now() + 5000;
  for (;;) {
    const messages = await messagesAbout(`booking:${bookingCode}`);
    const message = messages.find((m) => m.kind === 'hold-code');
    const sent = (message?.deliveries as { status: string }[] | undefined)?.every((d) => d.status === 'sent');
    const smsCode = (message?.sms as { params?: { code?: string } } | undefined)?.params?.code;
    // Once sent, the message's text (the code) is dropped: it is read while it waits, then confirmed sent.
    if (smsCode) known.set(bookingCode, smsCode);
    // Sent before it was first read (a fast trigger): the last code texted to that mobile.
    const code = known.get(bookingCode) ?? (sent ? lastCodeSentTo(mobile) : undefined);
    if (sent && code) return code;
    if (Date.now() > deadline) throw new Error(`The code of hold ${bookingCode} was not sent within 5 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const known = new Map<string, string>();

/** A running instance (`startRuntime`): its outbox is read over HTTP, one booking per mobile at a time. */
export interface Instance {
  url: string;
}
type Answer = Awaited<ReturnType<typeof invoke>>;

const fetchAnswer = async (url: string, path: string, body: unknown, token?: string): Promise<Answer> => {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  return { status: res.status, headers: Object.fromEntries(res.headers), text, json: json as any };
};

/** Per mobile, the booking under way on an instance: its code is the next text to that mobile. */
const underWay = new Map<string, Promise<unknown>>();

const bookOnInstance = async (url: string, dayId: string, body: { mobile: string }): Promise<Answer> => {
  const codes = async () => holdCodeTexts(await fetchOutbox(url), body.mobile);
  const before = (await codes()).length;
  const held = await fetchAnswer(url, `/api/public/consultation-days/${dayId}/bookings`, body);
  if (held.status !== 202) return held;
  const smsCode = await holdCodeSentTo(body.mobile, before, url);
  return fetchAnswer(url, `/api/public/bookings/${held.json.booking.code}/verify`, { smsCode });
};

/**
 * Books as an anonymous booker does: the hold (202), then the code from its text, then verify.
 * Answers the hold's refusal as is, else the verification's answer (200 with the booking). `target`
 * is the public function (invoked in this process) or a running instance (`{ url }`); `beforeVerify`
 * runs once the code has gone out, before it is typed (e.g. to pause the messages' trigger).
 */
export const bookAndVerify = async (
  target: Handler | Instance,
  dayId: string,
  body: { mobile: string; [field: string]: unknown },
  options: { beforeVerify?: () => unknown } = {},
): Promise<Answer> => {
  if (typeof target !== 'function') {
    const previous = underWay.get(body.mobile) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => bookOnInstance(target.url, dayId, body));
    underWay.set(body.mobile, mine);
    return mine;
  }
  const held = await invoke(
    target,
    httpEvent('POST', `/api/public/consultation-days/${dayId}/bookings`, { body: JSON.stringify(body) }),
  );
  if (held.status !== 202) return held;
  const code = held.json.booking.code as string;
  const smsCode = await codeOfHold(code, body.mobile);
  await options.beforeVerify?.();
  return invoke(
    target,
    httpEvent('POST', `/api/public/bookings/${code}/verify`, { body: JSON.stringify({ smsCode }) }),
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
  const answer = await bookAndVerify({ url }, dayId, body);
  return { status: answer.status, body: answer.json ?? {} };
};

/** What a crowd's booker answers: its booking's code and status, and how to reach it. */
export interface CrowdBooker {
  readonly code: string;
  readonly status: string;
  readonly email: string;
  readonly mobile: string;
}

/**
 * Bookers who book once each, every one with its own firm, mobile (one number may book only 5 times
 * an hour) and e-mail, numbered from `firstMobile` so two files never share a number. `person()`
 * is the next booker's details for a test that books by hand (a hold left unverified).
 */
export const crowd = (publicFn: () => Handler, firstMobile: number, firmName: string) => {
  let next = 0;
  const person = () => {
    next += 1;
    return {
      uscc: randomUscc(),
      companyName: `${firmName}${next}有限公司`,
      contactName: '王小明',
      mobile: `139${firstMobile + next}`,
      email: `booker-${randomUUID()}@example.test`,
      topic: '排污许可',
      question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
      consent: true,
    };
  };
  /** One booking of `slotId` (hold, SMS code, verify); waitlisted when the slot is full. */
  const bookOne = async (dayId: string, slotId: string): Promise<CrowdBooker> => {
    const booker = person();
    const res = await bookAndVerify(publicFn(), dayId, { ...booker, slotId, waitlist: true });
    if (res.status !== 200) throw new Error(`booking refused: ${res.status} ${res.text}`);
    return { code: res.json.booking.code, status: res.json.booking.status, email: booker.email, mobile: booker.mobile };
  };
  /** `count` bookings over the slots in turn, ten bookers at a time (each waits for its code's text). */
  const bookMany = async (dayId: string, slotIds: readonly string[], count: number) => {
    const out: CrowdBooker[] = [];
    for (let i = 0; i < count; i += 10) {
      const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
        bookOne(dayId, slotIds[(i + j) % slotIds.length] as string),
      );
      out.push(...(await Promise.all(batch)));
    }
    return out;
  };
  return { person, bookOne, bookMany };
};
