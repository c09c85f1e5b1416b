import { createLocalJWKSet, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyFirmSignIn } from '../../functions/lib/firms/sign-in.ts';
import { claimsFor, httpEvent, invoke } from '../support/events.ts';
import { sentTexts, waitForOutbox } from '../support/outbox.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { distinctUsccs } from '../support/uscc.ts';

// The firm's door (issue 16): a firm signs in with a six-digit code sent by SMS to a mobile of its
// roster contacts. No answer tells a stranger whether the firm exists or the mobile is its contact.
let publicFn: Handler;
let staffFn: Handler;

beforeAll(async () => {
  ({ publicFn, staffFn } = await useFunctions());
});

const lead = claimsFor('lead.wuzhong', 'lead', '320506');
let nextMobile = 10_000_000;
const freshMobile = () => `136${nextMobile++}`;
const usccs = distinctUsccs(40);
let nextUscc = 0;

/** A firm in the roster with one contact whose mobile is `mobile`. */
const firmWithContact = async (mobile: string) => {
  const uscc = usccs[nextUscc++] as string;
  const res = await invoke(
    staffFn,
    httpEvent('POST', '/api/staff/enterprises', {
      claims: lead,
      body: JSON.stringify({
        uscc,
        name: '苏州吴中精细化工有限公司',
        county: '320506',
        address: '苏州市吴中区临湖镇工业园 8 号',
        industry: '化学原料和化学制品制造业',
        size: 'medium',
        tier: 'city',
        contacts: [{ name: '陈工', role: '环保主管', mobile }],
      }),
    }),
  );
  expect(res.status).toBe(201);
  return uscc;
};

const start = (uscc: string, mobile: string) =>
  invoke(publicFn, httpEvent('POST', '/api/public/firm-sign-in/start', { body: JSON.stringify({ uscc, mobile }) }));
const verify = (uscc: string, mobile: string, code: string) =>
  invoke(
    publicFn,
    httpEvent('POST', '/api/public/firm-sign-in/verify', { body: JSON.stringify({ uscc, mobile, code }) }),
  );

/** The code texted to `mobile` (the SMS stand-in got it, in E.164). */
const codeSentTo = async (mobile: string, nth = 1) => {
  const texts = (entries: Awaited<ReturnType<typeof waitForOutbox>>) =>
    entries.filter((e) => e.channel === 'sms' && e.to === `+86${mobile}` && e.text.includes('验证码'));
  const entries = await waitForOutbox((all) => texts(all).length >= nth);
  return /验证码为 (\d{6})/.exec(texts(entries)[nth - 1]?.text ?? '')?.[1] ?? '';
};

describe('firm sign-in by SMS code', () => {
  it('texts a code to a roster contact, and the code opens a token for that one firm, once', async () => {
    // Prepare
    const mobile = freshMobile();
    const uscc = await firmWithContact(mobile);

    // Act
    const started = await start(uscc, mobile);
    const code = await codeSentTo(mobile);
    const verified = await verify(uscc, mobile, code);
    const again = await verify(uscc, mobile, code);

    // Assess: a token the firm issuer's published keys verify, naming the firm; the code is spent.
    expect(started.status).toBe(202);
    expect(verified.status).toBe(200);
    const discovery = await invoke(
      publicFn,
      httpEvent('GET', '/api/public/firm-issuer/.well-known/openid-configuration'),
    );
    const jwks = await invoke(publicFn, httpEvent('GET', '/api/public/firm-issuer/jwks.json'));
    const { payload } = await jwtVerify(verified.json.token, createLocalJWKSet(jwks.json), {
      issuer: discovery.json.issuer,
      audience: 'eco-liaison-firm',
    });
    expect(payload).toMatchObject({ uscc, sub: `firm:${uscc}`, token_use: 'firm' });
    expect(again.status).toBe(401);
    expect(again.json.error.code).toBe('CODE_INVALID');
  });

  it('answers a stranger exactly as it answers the firm: same 202, no code sent, every code refused', async () => {
    // Prepare: a real contact, a mobile that is no contact of that firm, and a firm not in the roster.
    const mobile = freshMobile();
    const uscc = await firmWithContact(mobile);
    const stranger = freshMobile();
    const unknownFirm = usccs[39] as string;
    const textsBefore = sentTexts().length;

    // Act
    const known = await start(uscc, mobile);
    const notContact = await start(uscc, stranger);
    const notFirm = await start(unknownFirm, stranger);
    await codeSentTo(mobile);
    await new Promise((r) => setTimeout(r, 500));

    // Assess
    expect([known.status, notContact.status, notFirm.status]).toEqual([202, 202, 202]);
    expect(notContact.json).toEqual(known.json);
    expect(notFirm.json).toEqual(known.json);
    expect(sentTexts().length - textsBefore).toBe(1);
    for (const code of ['000000', '123456', '999999']) {
      const res = await verify(uscc, stranger, code);
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('CODE_INVALID');
    }
    // The resend wait holds for the stranger too: it is no oracle of who is a contact.
    const resentKnown = await start(uscc, mobile);
    const resentStranger = await start(uscc, stranger);
    expect([resentKnown.status, resentStranger.status]).toEqual([429, 429]);
    expect(resentStranger.json.error.code).toBe('RATE_LIMITED');
    expect(Number(resentStranger.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(resentStranger.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('allows five tries: after five wrong codes even the right one is refused', async () => {
    // Prepare
    const mobile = freshMobile();
    const uscc = await firmWithContact(mobile);
    await start(uscc, mobile);
    const code = await codeSentTo(mobile);
    const wrong = code === '000000' ? '111111' : '000000';

    // Act: five wrong tries at once (they race), then the right code.
    const tries = await Promise.all(Array.from({ length: 5 }, () => verify(uscc, mobile, wrong)));
    const right = await verify(uscc, mobile, code);

    // Assess
    expect(tries.map((t) => t.status)).toEqual(Array(5).fill(401));
    expect(right.status).toBe(401);
  });

  it('lets a code expire after five minutes', async () => {
    // Prepare
    const mobile = freshMobile();
    const uscc = await firmWithContact(mobile);
    await start(uscc, mobile);
    const code = await codeSentTo(mobile);

    // Act: the same code, six minutes on.
    const late = verifyFirmSignIn({ uscc, mobile }, code, new Date(Date.now() + 6 * 60_000));

    // Assess
    await expect(late).rejects.toMatchObject({ code: 'CODE_INVALID' });
  });

  it('refuses a sixth code for one mobile within the hour, whichever firms it names', async () => {
    // Prepare: one person's mobile, six firms (the resend wait is per firm and mobile).
    const mobile = freshMobile();
    const firms = [];
    for (let i = 0; i < 6; i++) firms.push(await firmWithContact(mobile));

    // Act
    const answers = [];
    for (const uscc of firms) answers.push(await start(uscc, mobile));

    // Assess
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 429]);
    expect(answers[5]?.json.error.code).toBe('RATE_LIMITED');
  });

  it('refuses bad input with the fields named', async () => {
    const res = await invoke(
      publicFn,
      httpEvent('POST', '/api/public/firm-sign-in/verify', {
        body: JSON.stringify({ uscc: 'not-a-uscc', mobile: '123', code: '12ab56' }),
      }),
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.error.fields).sort()).toEqual(['code', 'mobile', 'uscc']);
  });
});
