import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/keys.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { createDay, moveDayTo, wuzhongLead } from '../support/days.ts';
import { httpEvent, invoke } from '../support/events.ts';
import { type Handler, useFunctions } from '../support/table.ts';
import { randomUscc } from '../support/uscc.ts';

// Issue 20, the lead at the desk: attendance only from the consultation day itself (Asia/Shanghai),
// and a recorded attendance changed only with a reason, which the audit event keeps.
let publicFn: Handler;
let staffFn: Handler;
let doc: Awaited<ReturnType<typeof useFunctions>>['doc'];
let tableName: string;

beforeAll(async () => {
  ({ publicFn, staffFn, doc, tableName } = await useFunctions());
});

let nextMobile = 20_000_000;

/** A confirmed booking on a Wuzhong day 10 days ahead, made as its booker makes it. */
const bookedDay = async () => {
  const day = await createDay(staffFn, [5]);
  const res = await bookAndVerify(publicFn, day.dayId, {
    slotId: day.slots[0]?.slotId,
    uscc: randomUscc(),
    companyName: '苏州到场测试有限公司',
    contactName: '王小明',
    mobile: `139${nextMobile++}`,
    topic: '排污许可',
    question: '我们的排污许可证明年到期，延续需要准备哪些材料？',
    consent: true,
  });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return { day, code: res.json.booking.code as string };
};

const mark = (code: string, body: Record<string, unknown>) =>
  invoke(
    staffFn,
    httpEvent('POST', `/api/staff/bookings/${code}/attendance`, { claims: wuzhongLead, body: JSON.stringify(body) }),
  );

/** The booking as stored (the public view shows no version). */
const booking = async (code: string) =>
  (await doc.send(new GetCommand({ TableName: tableName, Key: keys.booking(code), ConsistentRead: true }))).Item ?? {};

const auditOf = async (code: string) =>
  (
    await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.audit(`booking:${code}`, '', '').pk },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const today = () => shanghaiDate(new Date());
const tomorrow = () => shanghaiDate(new Date(Date.now() + 86_400_000));

describe('attendance only from the day itself (issue 20)', () => {
  it('refuses attendance before the day with 409 TOO_EARLY and records nothing', async () => {
    // Prepare
    const { code } = await bookedDay();
    // Act
    const res = await mark(code, { status: 'attended', outcome: '已解答' });
    // Assess
    expect([res.status, res.json.error?.code]).toEqual([409, 'TOO_EARLY']);
    expect((await booking(code)).status).toBe('confirmed');
    expect(await auditOf(code)).toEqual([]);
  });

  it('refuses it the day before too (tomorrow in Shanghai is still too early)', async () => {
    // Prepare: the booked day moved to tomorrow (the API books only before the cut-off).
    const { day, code } = await bookedDay();
    await moveDayTo(day.dayId, tomorrow());
    // Act
    const res = await mark(code, { status: 'no_show' });
    // Assess
    expect([res.status, res.json.error?.code]).toEqual([409, 'TOO_EARLY']);
  });

  it('records attendance on the day itself, with its audit event', async () => {
    // Prepare: the booked day moved to today (Asia/Shanghai).
    const { day, code } = await bookedDay();
    await moveDayTo(day.dayId, today());
    // Act
    const res = await mark(code, { status: 'attended', outcome: '已解答延续材料清单' });
    // Assess
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.booking).toMatchObject({ status: 'attended', outcome: '已解答延续材料清单' });
    const audit = await auditOf(code);
    expect(audit.map((a) => [a.action, a.before.status, a.after.status])).toEqual([
      ['booking.attendance', 'confirmed', 'attended'],
    ]);
  });
});

describe('a recorded attendance changes only with a reason (issue 20)', () => {
  it('refuses a change without a reason (400, field reason), or with a blank or too long one, and keeps the mark', async () => {
    // Prepare
    const { day, code } = await bookedDay();
    await moveDayTo(day.dayId, today());
    const marked = (await mark(code, { status: 'attended' })).json.booking;
    // Act
    const answers = await Promise.all([
      mark(code, { status: 'no_show' }),
      mark(code, { status: 'no_show', reason: '   ' }),
      mark(code, { status: 'no_show', reason: '因'.repeat(501) }),
      mark(code, { status: 'attended', outcome: '补记结果' }),
    ]);
    // Assess
    for (const res of answers) {
      expect([res.status, res.json.error?.code, Object.keys(res.json.error?.fields ?? {})]).toEqual([
        400,
        'VALIDATION_FAILED',
        ['reason'],
      ]);
    }
    expect(await booking(code)).toMatchObject({ status: 'attended', version: marked.version });
    expect(await auditOf(code)).toHaveLength(1);
  });

  it('changes it with a reason, and the audit event keeps the reason with before and after', async () => {
    // Prepare
    const { day, code } = await bookedDay();
    await moveDayTo(day.dayId, today());
    const { version } = (await mark(code, { status: 'no_show' })).json.booking;
    // Act
    const res = await mark(code, {
      status: 'attended',
      outcome: '迟到半小时，已解答',
      reason: '企业代表迟到，误登记为未到场',
      version,
    });
    // Assess
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.booking).toMatchObject({ status: 'attended', outcome: '迟到半小时，已解答', version: version + 1 });
    const change = (await auditOf(code)).find((a) => a.before.status === 'no_show');
    expect(change).toMatchObject({
      action: 'booking.attendance',
      actor: 'lead.wuzhong',
      before: { status: 'no_show', version },
      after: { status: 'attended', version: version + 1, reason: '企业代表迟到，误登记为未到场' },
    });
  });

  it('refuses a change made from a stale read with 409 VERSION_CONFLICT (rule 9)', async () => {
    // Prepare: marked, then changed by someone else since the page read the mark.
    const { day, code } = await bookedDay();
    await moveDayTo(day.dayId, today());
    const { version } = (await mark(code, { status: 'attended' })).json.booking;
    expect((await mark(code, { status: 'no_show', reason: '核对签到表后更正', version })).status).toBe(200);
    // Act
    const stale = await mark(code, { status: 'attended', reason: '现场确认已到', version });
    // Assess
    expect([stale.status, stale.json.error?.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect(await booking(code)).toMatchObject({ status: 'no_show', version: version + 1 });
  });
});
