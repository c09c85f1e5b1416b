import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_TEMPLATE, MAX_TEMPLATE_ITEMS } from '../../shared/checkups.ts';
import { MAX_SELF_NOTE } from '../../shared/self-inspection.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { signInFirm } from '../support/firm.ts';
import { oneItemTemplate } from '../support/firms.ts';
import { distinctUsccs } from '../support/uscc.ts';

// Issue 16, self-inspection: a signed-in firm answers the current check-up template; what it fails
// becomes suggestions (no ledger item yet) that its liaison, or a lead over its county, accepts into
// the ledger or dismisses with a reason, each once; a firm asks for an on-site check-up, one open
// request at a time. Everything through the local gateway with real firm and staff tokens.
let runtime: Runtime;
let dataDir: string;
const staff = {} as Record<'lead' | 'liaison' | 'leadOther' | 'leadCity', string>;
const [paired, unpaired] = distinctUsccs(2) as [string, string];
const firmToken = {} as Record<'paired' | 'unpaired', string>;

const call = (method: string, path: string, token?: string, body?: unknown) =>
  fetch(`${runtime.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

const answer = async (res: Response) => {
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};

const ok = async (res: Response, status = 200) => {
  const got = await answer(res);
  expect(got.status, JSON.stringify(got.body)).toBe(status);
  return got.body;
};

const enterprise = (uscc: string, name: string, mobile: string) => ({
  uscc,
  name,
  county: '320506',
  address: '苏州市吴中区木渎镇金枫路 18 号',
  industry: '纺织品印染',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '周工', role: '环保专员', mobile }],
});

/** Answers for every item of the default template: the ones named fail (with a note), the rest pass. */
const answers = (fail: Record<string, string>) =>
  Object.fromEntries(
    DEFAULT_TEMPLATE.items.map((i) => [
      i.itemId,
      i.itemId in fail ? { result: 'fail', note: fail[i.itemId] } : { result: 'pass' },
    ]),
  );

const submission = (fail: Record<string, string>, id: string = randomUUID()) => ({
  id,
  templateVersion: DEFAULT_TEMPLATE.version,
  answers: answers(fail),
});

const submit = (token: string, body: unknown) => call('POST', '/api/firm/self-inspections', token, body);

const suggestionsFor = async (who: string, uscc: string) =>
  (await ok(await call('GET', `/api/staff/ledger-suggestions?uscc=${uscc}`, who))).suggestions as {
    suggestionId: string;
    itemId: string;
    state: string;
    note: string | null;
  }[];

const ledgerOf = async (uscc: string) =>
  (await ok(await call('GET', `/api/staff/ledger-items?uscc=${uscc}`, staff.lead))).items as {
    itemId: string;
    source: string;
    state: string;
    sourceRef?: string;
    title: string;
  }[];

const inboxOf = async (who: string) =>
  (await ok(await call('GET', '/api/staff/inbox?limit=100', who))).messages as {
    kind: string;
    title: string;
    text: string;
  }[];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-self-inspection-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const [who, username] of Object.entries({
    lead: 'lead.wuzhong',
    liaison: 'liaison.wuzhong',
    leadOther: 'lead.jiangyin',
    leadCity: 'lead.suzhou',
  })) {
    staff[who as keyof typeof staff] = (
      await ok(await call('POST', '/api/local-auth/sign-in', undefined, { username, password: 'demo' }))
    ).token;
  }
  await ok(
    await call('POST', '/api/staff/enterprises', staff.lead, enterprise(paired, '丙印染有限公司', '13912340011')),
    201,
  );
  await ok(
    await call('POST', '/api/staff/enterprises', staff.lead, enterprise(unpaired, '丁电镀有限公司', '13912340012')),
    201,
  );
  await ok(
    await call('POST', '/api/staff/pairings', staff.lead, {
      uscc: paired,
      liaison: 'liaison.wuzhong',
      serviceYear: Number(shanghaiDate(new Date()).slice(0, 4)),
      startsOn: '2026-01-01',
    }),
    201,
  );
  firmToken.paired = (await signInFirm(runtime.url, paired, '13912340011')).token;
  firmToken.unpaired = (await signInFirm(runtime.url, unpaired, '13912340012')).token;
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the template a firm answers', () => {
  it('gives the firm the current items and their words, not the weights or the severities', async () => {
    // Act
    const { template } = await ok(await call('GET', '/api/firm/self-inspections/template', firmToken.paired));

    // Assess
    expect(template.version).toBe(DEFAULT_TEMPLATE.version);
    expect(template.items.map((i: { itemId: string }) => i.itemId)).toEqual(
      DEFAULT_TEMPLATE.items.map((i) => i.itemId),
    );
    expect(template.items[0]).toEqual({
      itemId: 'M1',
      category: 'management',
      text: { zh: DEFAULT_TEMPLATE.items[0]?.text.zh, en: DEFAULT_TEMPLATE.items[0]?.text.en },
    });
  });
});

describe('hostile submissions are refused with what to fix, and write nothing', () => {
  it('names an item that is not in the template and one left unanswered', async () => {
    // Prepare
    const body = submission({});
    body.answers.Z9 = { result: 'pass' };
    delete body.answers.R4;

    // Act
    const got = await answer(await submit(firmToken.unpaired, body));

    // Assess
    expect(got.status).toBe(400);
    expect(got.body.error.code).toBe('VALIDATION_FAILED');
    expect(got.body.error.fields).toEqual({
      'answers.Z9': 'Not an item of this template',
      'answers.R4': 'Not answered yet',
    });
  });

  it('refuses more answers than a template may hold in one short answer, not one line per key', async () => {
    // Prepare: 2,000 keys of the right shape (a 60 KB body, under the body limit).
    const body = submission({});
    for (let i = 0; i < 2000; i++) body.answers[`Q${i}`] = { result: 'fail' };

    // Act
    const got = await answer(await submit(firmToken.unpaired, body));

    // Assess
    expect(got.status).toBe(400);
    expect(got.body.error.fields).toEqual({ answers: expect.stringContaining(String(MAX_TEMPLATE_ITEMS)) });
  });

  it('names an oversized note by its item', async () => {
    // Prepare
    const body = submission({ F2: 'x'.repeat(MAX_SELF_NOTE + 1) });

    // Act
    const got = await answer(await submit(firmToken.unpaired, body));

    // Assess
    expect(got.status).toBe(400);
    expect(Object.keys(got.body.error.fields)).toEqual(['answers.F2.note']);
  });

  it('refuses an id that is no UUID, an unknown result, a body that is no object, and malformed JSON', async () => {
    // Act
    const got = await Promise.all([
      submit(firmToken.unpaired, { ...submission({}), id: '../../SELFINSP#x' }),
      submit(firmToken.unpaired, { ...submission({}), answers: { ...answers({}), M1: { result: 'maybe' } } }),
      submit(firmToken.unpaired, [submission({})]),
      submit(firmToken.unpaired, '{"id":'),
    ]);

    // Assess
    expect(got.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(Object.keys((await answer(got[0] as Response)).body.error.fields)).toEqual(['id']);
    expect(Object.keys((await answer(got[1] as Response)).body.error.fields)).toEqual(['answers.M1.result']);
  });

  it('has written nothing for any refused submission', async () => {
    // Act
    const listed = await ok(await call('GET', '/api/firm/self-inspections', firmToken.unpaired));

    // Assess
    expect(listed.selfInspections).toEqual([]);
    expect(await suggestionsFor(staff.lead, unpaired)).toEqual([]);
  });
});

describe('a submission is written once, however often it is sent', () => {
  it('answers a retry with the first submission and makes its suggestions once, also when both arrive at once', async () => {
    // Prepare
    const body = submission({ M3: '排污许可证下月到期，延续材料还在准备', F4: '危废间未设防渗托盘' });

    // Act
    const [first, second] = await Promise.all([submit(firmToken.paired, body), submit(firmToken.paired, body)]);
    const third = await submit(firmToken.paired, body);

    // Assess
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect(third.status).toBe(200);
    const stored = (await third.json()).selfInspection;
    expect(stored).toMatchObject({ selfInspectionId: body.id, templateVersion: 1 });
    expect(Object.keys(stored.suggestions).sort()).toEqual(['F4', 'M3']);
    const listed = await ok(await call('GET', '/api/firm/self-inspections', firmToken.paired));
    expect(listed.selfInspections.map((s: { selfInspectionId: string }) => s.selfInspectionId)).toEqual([body.id]);
    const suggestions = await suggestionsFor(staff.liaison, paired);
    expect(suggestions.map((s) => s.itemId).sort()).toEqual(['F4', 'M3']);
    expect(suggestions.find((s) => s.itemId === 'F4')?.note).toBe('危废间未设防渗托盘');
  });

  it('refuses the same id with other answers (409), keeping the first', async () => {
    // Prepare
    const id = randomUUID();
    await ok(await submit(firmToken.paired, submission({ R1: '预案未备案' }, id)), 201);

    // Act
    const got = await answer(await submit(firmToken.paired, submission({ R2: '未演练' }, id)));

    // Assess
    expect(got.status).toBe(409);
    expect(got.body.error.code).toBe('ALREADY_EXISTS');
    const listed = await ok(await call('GET', '/api/firm/self-inspections', firmToken.paired));
    const kept = listed.selfInspections.find((s: { selfInspectionId: string }) => s.selfInspectionId === id);
    expect(Object.keys(kept.suggestions)).toEqual(['R1']);
  });

  it('tells the firm’s liaison in its inbox, once per submission', async () => {
    // Act
    const entries = (await inboxOf(staff.liaison)).filter((e) => e.kind === 'self-inspection');

    // Assess: the two submissions above, each once.
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.title)).toContain('丙印染有限公司 提交了企业自查：2 项不符合');
  });

  it('keeps one firm’s submissions from another, whatever id it sends', async () => {
    // Prepare: the paired firm's id, sent by the other firm with its own answers.
    const theirs = (await ok(await call('GET', '/api/firm/self-inspections', firmToken.paired))).selfInspections[0];

    // Act
    const mine = await answer(await submit(firmToken.unpaired, submission({}, theirs.selfInspectionId)));
    const listed = await ok(await call('GET', '/api/firm/self-inspections', firmToken.unpaired));

    // Assess: a submission of its own under that id, nothing of the other firm's.
    expect(mine.status).toBe(201);
    expect(listed.selfInspections).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('丙印染');
    expect(JSON.stringify(listed)).not.toContain(paired);
  });
});

describe('suggestions are decided once, by the firm’s liaison or a lead over its county', () => {
  it('keeps a suggestion off the board until it is accepted', async () => {
    // Act
    const items = await ledgerOf(paired);

    // Assess
    expect(items).toEqual([]);
  });

  it('hides another county’s suggestions (404 on the county, nothing listed) and gives a city lead its counties’', async () => {
    // Act
    const other = await call('GET', '/api/staff/ledger-suggestions?county=320506', staff.leadOther);
    const theirs = (await ok(await call('GET', '/api/staff/ledger-suggestions', staff.leadOther))).suggestions;
    const city = await suggestionsFor(staff.leadCity, paired);

    // Assess
    expect(other.status).toBe(404);
    expect(theirs).toEqual([]);
    expect(city.map((s) => s.itemId).sort()).toEqual(['F4', 'M3', 'R1']);
  });

  it('accepts a suggestion into a real ledger item, collected, from the self-inspection, audited; a second decision is 409', async () => {
    // Prepare
    const m3 = (await suggestionsFor(staff.liaison, paired)).find((s) => s.itemId === 'M3');
    const id = m3?.suggestionId as string;

    // Act
    const accepted = await ok(
      await call('POST', `/api/staff/ledger-suggestions/${id}/accept`, staff.liaison, { ownerDepartment: '环评科' }),
      201,
    );
    const again = await answer(await call('POST', `/api/staff/ledger-suggestions/${id}/accept`, staff.lead, {}));
    const dismissAfter = await answer(
      await call('POST', `/api/staff/ledger-suggestions/${id}/dismiss`, staff.lead, { reason: '已处理' }),
    );

    // Assess
    expect(accepted.item).toMatchObject({
      uscc: paired,
      state: 'collected',
      source: 'self_inspection',
      severity: 'high',
      ownerDepartment: '环评科',
      title: DEFAULT_TEMPLATE.items.find((i) => i.itemId === 'M3')?.text.zh,
      detail: '企业自查：排污许可证下月到期，延续材料还在准备',
      createdBy: 'liaison.wuzhong',
      // The ledger's own view of the item (issue 18): who raised it and made its first move, by name.
      createdByName: '吴中区联络员 Wuzhong liaison',
      lastMove: { by: 'liaison.wuzhong', byName: '吴中区联络员 Wuzhong liaison', to: 'collected' },
      overdue: false,
    });
    expect(accepted.item.sourceRef).toMatch(/^selfinsp:[0-9a-f-]{36}:M3$/);
    expect([again.status, again.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect([dismissAfter.status, dismissAfter.body.error.code]).toEqual([409, 'INVALID_TRANSITION']);
    expect((await ledgerOf(paired)).map((i) => i.itemId)).toEqual([accepted.item.itemId]);
    expect((await suggestionsFor(staff.liaison, paired)).map((s) => s.itemId)).not.toContain('M3');
    const audit = await ok(await call('GET', `/api/staff/audit?entity=suggestion:${id}`, staff.lead));
    expect(audit.events.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['suggestion.accept', 'liaison.wuzhong'],
    ]);
    const mine = (await ok(await call('GET', '/api/firm/self-inspections', firmToken.paired))).selfInspections;
    const outcome = mine.flatMap((s: { suggestions: Record<string, unknown> }) => Object.values(s.suggestions));
    expect(outcome).toContainEqual({ suggestionId: id, state: 'accepted', ledgerItemId: accepted.item.itemId });
  });

  it('dismisses a suggestion only with a reason, which the firm reads; once', async () => {
    // Prepare
    const f4 = (await suggestionsFor(staff.lead, paired)).find((s) => s.itemId === 'F4');
    const path = `/api/staff/ledger-suggestions/${f4?.suggestionId}/dismiss`;

    // Act
    const noReason = await answer(await call('POST', path, staff.lead, {}));
    const dismissed = await ok(await call('POST', path, staff.lead, { reason: '走访时已现场整改，托盘已配齐' }));
    const again = await answer(await call('POST', path, staff.liaison, { reason: '重复' }));

    // Assess
    expect([noReason.status, Object.keys(noReason.body.error.fields)]).toEqual([400, ['reason']]);
    expect(dismissed.suggestion).toMatchObject({
      state: 'dismissed',
      reason: '走访时已现场整改，托盘已配齐',
      decidedBy: 'lead.wuzhong',
      decidedByName: '吴中区联系领导 Wuzhong lead',
    });
    expect(again.status).toBe(409);
    expect((await ledgerOf(paired)).map((i) => i.title)).not.toContain(
      DEFAULT_TEMPLATE.items.find((i) => i.itemId === 'F4')?.text.zh,
    );
    const mine = (await ok(await call('GET', '/api/firm/self-inspections', firmToken.paired))).selfInspections;
    expect(mine.flatMap((s: { suggestions: Record<string, unknown> }) => Object.values(s.suggestions))).toContainEqual({
      suggestionId: f4?.suggestionId,
      state: 'dismissed',
      reason: '走访时已现场整改，托盘已配齐',
    });
  });

  it('lets one of an accept and a dismiss sent at once win, and the other answer 409', async () => {
    // Prepare
    const r1 = (await suggestionsFor(staff.lead, paired)).find((s) => s.itemId === 'R1');
    const base = `/api/staff/ledger-suggestions/${r1?.suggestionId}`;

    // Act
    const [accept, dismiss] = await Promise.all([
      call('POST', `${base}/accept`, staff.liaison, {}),
      call('POST', `${base}/dismiss`, staff.lead, { reason: '企业已自行整改' }),
    ]);

    // Assess
    expect([accept.status, dismiss.status].filter((s) => s === 409)).toHaveLength(1);
    const raised = (await ledgerOf(paired)).filter((i) => i.sourceRef?.endsWith(':R1'));
    expect(raised).toHaveLength(accept.status === 201 ? 1 : 0);
  });

  it('refuses the liaison a firm it does not serve (404), while the county’s lead decides it', async () => {
    // Prepare: the unpaired firm fails one item.
    await ok(await submit(firmToken.unpaired, submission({ F1: '废水站在线监测数据缺失' })), 201);
    const [s] = await suggestionsFor(staff.lead, unpaired);
    const path = `/api/staff/ledger-suggestions/${s?.suggestionId}/accept`;

    // Act
    const liaison = await answer(await call('POST', path, staff.liaison, {}));
    const listed = await suggestionsFor(staff.liaison, unpaired);
    const leadOther = await answer(await call('POST', path, staff.leadOther, {}));
    const lead = await call('POST', path, staff.lead, {});

    // Assess
    expect(liaison).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'Not found' } } });
    expect(listed).toEqual([]);
    expect(leadOther.status).toBe(404);
    expect(lead.status).toBe(201);
  });

  it('sends a firm without a liaison’s findings to its county’s leads', async () => {
    // Act
    const entries = (await inboxOf(staff.lead)).filter((e) => e.kind === 'self-inspection');

    // Assess
    expect(entries.map((e) => e.title)).toEqual(['丁电镀有限公司 提交了企业自查：1 项不符合']);
  });
});

describe('a firm asks for an on-site check-up', () => {
  it('tells its liaison and its county’s lead once, and refuses a second request while the first is open', async () => {
    // Act
    const [a, b] = await Promise.all([
      call('POST', '/api/firm/checkup-requests', firmToken.paired, { note: '新上了一条涂装线，想请专家看看' }),
      call('POST', '/api/firm/checkup-requests', firmToken.paired, {}),
    ]);
    const third = await answer(await call('POST', '/api/firm/checkup-requests', firmToken.paired));

    // Assess
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([third.status, third.body.error.code]).toEqual([409, 'ALREADY_EXISTS']);
    for (const who of [staff.liaison, staff.lead]) {
      const asked = (await inboxOf(who)).filter((e) => e.kind === 'checkup-request');
      expect(asked.map((e) => e.title)).toEqual(['丙印染有限公司 申请上门环保体检']);
    }
    const listed = await ok(await call('GET', '/api/firm/self-inspections', firmToken.paired));
    expect(listed.checkupRequest).toMatchObject({ open: true });
  });

  it('takes a new request once a check-up of the firm is dated after the last one', async () => {
    // Prepare: the lead arranges the check-up the firm asked for.
    const at = new Date(Date.now() + 86_400_000).toISOString();
    await ok(await call('POST', '/api/staff/checkups', staff.lead, { uscc: paired, at, inspectors: ['王工'] }), 201);
    const answered = await ok(await call('GET', '/api/firm/self-inspections', firmToken.paired));

    // Act
    const again = await call('POST', '/api/firm/checkup-requests', firmToken.paired, { note: '整改完成，请复查' });

    // Assess
    expect(answered.checkupRequest).toMatchObject({ open: false });
    expect(again.status).toBe(201);
  });

  it('refuses an oversized note with its field', async () => {
    // Act
    const got = await answer(
      await call('POST', '/api/firm/checkup-requests', firmToken.unpaired, { note: '请'.repeat(501) }),
    );

    // Assess
    expect([got.status, Object.keys(got.body.error.fields)]).toEqual([400, ['note']]);
  });
});

describe('a new template version', () => {
  it('refuses answers to the old one (409) so the page reloads the form', async () => {
    // Prepare
    const admin = (
      await ok(await call('POST', '/api/local-auth/sign-in', undefined, { username: 'admin', password: 'demo' }))
    ).token;
    await ok(await call('POST', '/api/staff/checkup-templates', admin, oneItemTemplate), 201);

    // Act
    const stale = await answer(await submit(firmToken.unpaired, submission({})));
    const { template } = await ok(await call('GET', '/api/firm/self-inspections/template', firmToken.unpaired));
    const fresh = await submit(firmToken.unpaired, {
      id: randomUUID(),
      templateVersion: template.version,
      answers: { M1: { result: 'pass' } },
    });

    // Assess
    expect([stale.status, stale.body.error.code]).toEqual([409, 'VERSION_CONFLICT']);
    expect(template.version).toBe(2);
    expect(fresh.status).toBe(201);
  });
});
