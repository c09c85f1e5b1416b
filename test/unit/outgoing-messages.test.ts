import { describe, expect, it } from 'vitest';
import {
  BOOKER_SUBJECTS,
  type BookerMessageKind,
  bookerSms,
  checkupReport,
  DAY_NOTICE_SMS_CHARS,
  dayNotice,
  ledgerConfirmation,
} from '../../shared/messages/outgoing.ts';
import { SMS_TEMPLATE_PARAMS } from '../../shared/outbox.ts';

// Mainland providers send a registered template filled with named variables: a message whose
// parameters are not exactly its template's would be refused (Aliyun) or filled in the wrong
// order (Tencent), and each variable is capped at about 20 characters.
const facts = {
  companyName: '苏州某某化工有限公司',
  code: 'ABCDEFGHJKLMNPQRSTUV',
  date: '2026-12-16',
  startsAt: '09:00',
  endsAt: '09:45',
  place: '吴中区生态环境局三楼会议室（东吴北路 188 号，请从北门进入并在前台登记）',
  link: 'https://eco.example.cn/consultation-days/booking/?code=ABCDEFGHJKLMNPQRSTUV',
  reason: '场地临时维修，改期另行通知，给您带来不便敬请谅解',
};

describe('text messages fill exactly their registered templates', () => {
  for (const kind of Object.keys(BOOKER_SUBJECTS) as BookerMessageKind[]) {
    it(`a booker's "${kind}" text`, () => {
      const sms = bookerSms(kind, facts);
      expect(Object.keys(sms.params)).toEqual(SMS_TEMPLATE_PARAMS[sms.kind]);
      for (const value of Object.values(sms.params)) expect(value.length).toBeLessThanOrEqual(20);
      expect(sms.text).toMatch(/^【环保服务联络】/);
      expect(sms.text).toContain(facts.code);
    });
  }

  it('the check-up report ready (issue 20): the firm’s short name and the day, the firm door in the text', () => {
    const report = checkupReport(
      '苏州吴中精工电镀股份有限公司第二生产基地',
      '2026-11-20',
      'https://eco.example.cn/firm/',
    );
    expect(Object.keys(report.sms.params)).toEqual(SMS_TEMPLATE_PARAMS[report.sms.kind]);
    for (const value of Object.values(report.sms.params)) expect(value.length).toBeLessThanOrEqual(20);
    expect(report.sms.text).toMatch(/^【环保服务联络】/);
    expect(report.sms.text).toContain('https://eco.example.cn/firm/');
    expect(report.text).toContain('Read it at https://eco.example.cn/firm/');
  });

  it('the ledger confirmation', () => {
    const ledger = ledgerConfirmation('废气处理设施运行记录不全', 'https://eco.example.cn/ledger/confirm/#x', 30).sms;
    expect(Object.keys(ledger.params)).toEqual(SMS_TEMPLATE_PARAMS[ledger.kind]);
  });

  it("a lead's notice to a day's bookers: the text cut to its variable on one line, whole in the e-mail", () => {
    const text =
      '因三楼会议室检修，咨询改在二楼 203 室进行。\n请携带排污许可证副本及近三个月的自行监测报告，提前十分钟到场签到。';
    const notice = dayNotice({ ...facts, text });
    expect(Object.keys(notice.sms.params)).toEqual(SMS_TEMPLATE_PARAMS[notice.sms.kind]);
    expect(notice.sms.params.text).toHaveLength(DAY_NOTICE_SMS_CHARS);
    expect(notice.sms.params.text).not.toContain('\n');
    expect(notice.sms.params.place?.length).toBeLessThanOrEqual(20);
    expect(notice.sms.text).toMatch(/^【环保服务联络】2026-12-16环保咨询日/);
    expect(notice.text).toContain(text);
    expect(notice.text).toContain(facts.code);
  });
});
