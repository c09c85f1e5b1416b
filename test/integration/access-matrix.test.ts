import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../../infra/local/runtime.ts';
import { DEFAULT_TEMPLATE } from '../../shared/checkups.ts';
import type { OutboxEntry } from '../../shared/outbox.ts';
import { routes } from '../../shared/routes.ts';
import { DEFAULT_SERVICE_ITEMS } from '../../shared/service-items.ts';
import { shanghaiDate } from '../../shared/time.ts';
import { bookAndVerify } from '../support/bookings.ts';
import { uploadSignature } from '../support/evidence.ts';
import { oneItemTemplate } from '../support/firms.ts';
import { waitForOutbox } from '../support/outbox.ts';
import { distinctUsccs } from '../support/uscc.ts';

/**
 * Rule 8: every signed-in route (staff and firm) × every kind of caller, through the local gateway
 * with real tokens. A record outside one's scope answers 404; a role that may not call the route
 * answers 403; no token or a forged one answers 401, and so does a token of the other kind: a firm's
 * on a staff route, a staff member's on a firm route (issue 16). A route missing here fails the test.
 */
type Caller = 'liaison' | 'leadOther' | 'leadCity' | 'admin';
const callers: Record<Caller, string> = {
  liaison: 'liaison.wuzhong',
  leadOther: 'lead.jiangyin',
  leadCity: 'lead.suzhou',
  admin: 'admin',
};

interface Case {
  readonly method: string;
  readonly path: (f: Fixture) => string;
  readonly body?: (f: Fixture) => unknown;
  readonly expect: Record<Caller, number>;
  /** What a signed-in firm (a firm token) gets: 401 on every staff route, unless given. */
  readonly firm?: number;
}
interface Fixture {
  dayId: string;
  code: string;
  date: string;
  uscc: string;
  /** Pairings in Wuzhong: one to log contacts on, one to pause and resume, one to end, one to reassign. */
  pairings: { main: string; life: string; gone: string; moved: string };
  unpairedUscc: string;
  evidenceId: string;
  ledgerId: string;
  /** A ledger item of another firm than the signed-in firm's (issue 16: a firm acts only on its own). */
  otherLedgerId: string;
  checkupId: string;
  /** A submitted check-up of a firm other than the signed-in firm's. */
  otherFirmCheckupId: string;
  /** Suggestions from the firm's self-inspection (issue 16): one to accept, one to dismiss. */
  suggestions: { accept: string; dismiss: string };
  /** "Three best" cases of Wuzhong (issue 19): a draft, two submitted (to recommend, to return), one held as submitted. */
  cases: { draft: string; recommend: string; return: string; held: string };
}

const IMPORTED_USCC = '91320506MA1XYW001A';
const managersOnly = { liaison: 403, leadOther: 404, leadCity: 200, admin: 200 };
/** Every staff role, each answered for its own scope (a lead of another county: 404). */
const everyoneInScope = { liaison: 200, leadOther: 404, leadCity: 200, admin: 200 };
/** Leads and admins, each reading what its own scope holds; liaisons are refused. */
const noLiaison = { liaison: 403, leadOther: 200, leadCity: 200, admin: 200 };
/** Every staff role alike (nothing of another unit in it). */
const everyone = { liaison: 200, leadOther: 200, leadCity: 200, admin: 200 };
const adminOnly = { liaison: 403, leadOther: 403, leadCity: 403, admin: 200 };
/** A firm route: every staff token is refused as no firm sign-in. */
const noStaff = { liaison: 401, leadOther: 401, leadCity: 401, admin: 401 };
const dayBody = (f: Pick<Fixture, 'date'>) => ({
  date: f.date,
  jurisdiction: '320506',
  venue: '吴中区',
  mode: 'onsite',
  topics: ['排污许可'],
  slots: [{ startsAt: `${f.date}T15:00:00+08:00`, endsAt: `${f.date}T16:00:00+08:00`, capacity: 5 }],
});

const checkupBody = (uscc: string) => ({ uscc, at: '2026-10-20T09:00:00+08:00', inspectors: ['王工'] });

const ledgerBody = (uscc: string) => ({
  uscc,
  title: '危废贮存间标识不规范',
  detail: '走访发现危废贮存间未按规范设置标识牌',
  source: 'contact',
  severity: 'medium',
  dueOn: '2026-12-31',
  ownerDepartment: '固废科',
});

const enterpriseBody = (uscc: string) => ({
  uscc,
  name: '吴中矩阵测试企业',
  county: '320506',
  address: '苏州市吴中区某路 1 号',
  industry: '化工',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '赵六', mobile: '13600000000' }],
});

const caseBody = (uscc: string) => ({
  kind: 'best_service_project',
  title: '矩阵测试案例',
  story: '权限矩阵测试用的案例正文，介绍服务经过和成效。',
  firms: [uscc],
});

const evidenceMeta = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64) };

/** A self-inspection of the default template: M1 and M2 fail (two suggestions), the rest pass. */
const selfInspectionBody = (id: string) => ({
  id,
  templateVersion: DEFAULT_TEMPLATE.version,
  answers: Object.fromEntries(
    DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: ['M1', 'M2'].includes(i.itemId) ? 'fail' : 'pass' }]),
  ),
});

const matrix: Record<string, Case> = {
  // The firm's self-inspection routes act for the token's USCC only: no parameter names a firm.
  'selfInspections.template': {
    method: 'GET',
    path: () => '/api/firm/self-inspections/template',
    expect: noStaff,
    firm: 200,
  },
  'selfInspections.create': {
    method: 'POST',
    path: () => '/api/firm/self-inspections',
    body: () => selfInspectionBody('0b6c1b1e-5f0e-4c55-9a1e-000000000001'),
    expect: noStaff,
    firm: 201,
  },
  'selfInspections.list': {
    method: 'GET',
    path: () => '/api/firm/self-inspections',
    expect: noStaff,
    firm: 200,
  },
  'checkupRequests.create': {
    method: 'POST',
    path: () => '/api/firm/checkup-requests',
    body: () => ({ note: '想请专家上门看看危废间' }),
    expect: noStaff,
    firm: 201,
  },
  'suggestions.list': {
    method: 'GET',
    path: () => '/api/staff/ledger-suggestions?county=320506',
    // The liaison may ask, and sees only its own firms' suggestions (self-inspection.test.ts).
    expect: everyoneInScope,
  },
  'suggestions.accept': {
    method: 'POST',
    path: (f) => `/api/staff/ledger-suggestions/${f.suggestions.accept}/accept`,
    body: () => ({}),
    // Not the liaison's firm: 404. The city lead accepts it; the admin then finds it decided.
    expect: { liaison: 404, leadOther: 404, leadCity: 201, admin: 409 },
  },
  'suggestions.dismiss': {
    method: 'POST',
    path: (f) => `/api/staff/ledger-suggestions/${f.suggestions.dismiss}/dismiss`,
    body: () => ({ reason: '企业已当场整改' }),
    expect: { liaison: 404, leadOther: 404, leadCity: 200, admin: 409 },
  },
  'evidence.create': {
    method: 'POST',
    path: () => '/api/staff/evidence',
    body: () => evidenceMeta,
    expect: { liaison: 201, leadOther: 201, leadCity: 201, admin: 201 },
  },
  'evidence.get': {
    method: 'GET',
    path: (f) => `/api/staff/evidence/${f.evidenceId}`,
    expect: everyoneInScope,
  },
  'users.list': {
    method: 'GET',
    path: () => '/api/staff/users',
    expect: noLiaison,
  },
  'audit.list': {
    method: 'GET',
    path: (f) => `/api/staff/audit?entity=day:${f.dayId}`,
    // The other county's lead may ask, and gets no event of Wuzhong (checked in enterprises.test.ts).
    expect: noLiaison,
  },
  'deliveries.list': {
    method: 'GET',
    path: () => '/api/staff/deliveries?status=failed',
    // The other county's lead may ask, and sees none of Wuzhong's (test/integration/delivery-board.test.ts).
    expect: noLiaison,
  },
  'deliveries.summary': {
    method: 'GET',
    path: () => '/api/staff/deliveries/summary',
    expect: noLiaison,
  },
  'deliveries.retry': {
    method: 'POST',
    path: () => '/api/staff/deliveries/retry',
    // No such message: 404 to whoever may retry; a real one in and out of scope in delivery-board.test.ts.
    body: () => ({ about: 'booking:NOSUCHCODE', kind: 'confirmed', occasion: '' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 404, admin: 404 },
  },
  'deliveries.export': {
    method: 'GET',
    path: () => '/api/staff/deliveries/export?jurisdiction=320506&format=csv',
    expect: managersOnly,
  },
  // The console home (issue 18): everyone's own; a unit outside one's subtree answers 404.
  'today.get': {
    method: 'GET',
    path: () => '/api/staff/today?jurisdiction=320506',
    expect: everyoneInScope,
  },
  // The spreadsheets leaders pass upward (issue 19), scoped like the lists they export.
  'ledger.export': {
    method: 'GET',
    path: () => '/api/staff/ledger-items/export?jurisdiction=320506&format=csv',
    expect: managersOnly,
  },
  'compliance.export': {
    method: 'GET',
    path: () => '/api/staff/compliance/export?month=2026-10&jurisdiction=320506&format=csv',
    expect: managersOnly,
  },
  'compliance.open': {
    method: 'GET',
    path: () => '/api/staff/compliance/open?jurisdiction=320506',
    expect: managersOnly,
  },
  'audit.export': {
    method: 'GET',
    path: () => '/api/staff/audit/export?jurisdiction=320506&format=csv',
    expect: managersOnly,
  },
  'enterprises.list': {
    method: 'GET',
    path: () => '/api/staff/enterprises?county=320506',
    expect: everyoneInScope,
  },
  'enterprises.create': {
    method: 'POST',
    path: () => '/api/staff/enterprises',
    body: () => enterpriseBody('91330100799655058B'),
    // The city lead registers it; the admin then finds the USCC taken.
    expect: { liaison: 403, leadOther: 403, leadCity: 201, admin: 409 },
  },
  'enterprises.import': {
    method: 'POST',
    path: () => '/api/staff/enterprises/import?mode=valid-rows',
    body: () =>
      `统一社会信用代码,企业名称,所在区县代码,地址,行业,规模,分级\r\n${IMPORTED_USCC},矩阵导入企业,320506,吴中区某路 2 号,印染,small,county\r\n`,
    // Rows outside one's scope are reported per row (Jiangyin's lead gets a failed row, nothing written);
    // the city lead imports it, the admin then finds it unchanged.
    expect: noLiaison,
  },
  'enterprises.importTemplate': {
    method: 'GET',
    path: () => '/api/staff/enterprises/import-template?format=csv',
    expect: noLiaison,
  },
  'enterprises.export': {
    method: 'GET',
    path: () => '/api/staff/enterprises/export?county=320506&format=csv',
    expect: managersOnly,
  },
  'enterprises.timeline': {
    method: 'GET',
    path: (f) => `/api/staff/enterprises/${f.uscc}/timeline`,
    expect: everyoneInScope,
  },
  'pairings.export': {
    method: 'GET',
    path: () => '/api/staff/pairings/export?county=320506&format=csv',
    expect: everyoneInScope,
  },
  'users.create': {
    method: 'POST',
    path: () => '/api/staff/users',
    body: () => ({
      username: 'liaison.matrix',
      displayName: '矩阵联络员',
      email: 'liaison.matrix@example.test',
      role: 'liaison',
      jurisdiction: '320506',
    }),
    // Jiangyin's lead may not create in Wuzhong; the city lead creates it; the admin finds the name taken.
    expect: { liaison: 403, leadOther: 403, leadCity: 201, admin: 409 },
  },
  'users.update': {
    method: 'PATCH',
    path: () => '/api/staff/users/liaison.xiangcheng',
    body: () => ({ version: 1, displayName: '相城区联络员（矩阵）' }),
    // Jiangyin's lead does not see Xiangcheng's account; the city lead changes it to version 2, so the
    // admin, asking at version 1 after it, finds the version stale.
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 409 },
  },
  'nudges.list': {
    method: 'GET',
    path: () => '/api/staff/nudges?month=2026-10&county=320506',
    // A liaison sees its own nudges of its county.
    expect: everyoneInScope,
  },
  'inbox.list': {
    method: 'GET',
    path: () => '/api/staff/inbox',
    expect: everyone,
  },
  'inbox.read': {
    method: 'POST',
    path: () => '/api/staff/inbox/MjAyNi0xMi0wMVQwMTowMDowMC4wMDBaI25vbmU/read',
    // Only one's own inbox is ever addressed: someone else's message is simply not there.
    expect: { liaison: 404, leadOther: 404, leadCity: 404, admin: 404 },
  },
  'compliance.get': {
    method: 'GET',
    path: () => '/api/staff/compliance?month=2026-10&jurisdiction=320506',
    expect: managersOnly,
  },
  'compliance.recount': {
    method: 'POST',
    path: () => '/api/staff/compliance/recount',
    body: () => ({ month: '2026-10' }),
    expect: adminOnly,
  },
  // A lead logs its own field service: a firm outside its subtree is not found; liaisons and admins are no leads.
  'leaderVisits.create': {
    method: 'POST',
    path: () => '/api/staff/leader-visits',
    body: (f) => ({
      at: '2026-10-20T10:00:00+08:00',
      target: { uscc: f.uscc },
      participants: ['市局领导'],
      summary: '领导带队走访矩阵测试',
    }),
    expect: { liaison: 403, leadOther: 404, leadCity: 201, admin: 403 },
  },
  'leaderVisits.list': {
    method: 'GET',
    path: () => '/api/staff/leader-visits',
    expect: { liaison: 403, leadOther: 200, leadCity: 200, admin: 403 },
  },
  'leaderCompliance.get': {
    method: 'GET',
    path: () => '/api/staff/leader-compliance?quarter=2026-Q4&jurisdiction=320506',
    expect: managersOnly,
  },
  'leaderCompliance.recount': {
    method: 'POST',
    path: () => '/api/staff/leader-compliance/recount',
    body: () => ({ quarter: '2026-Q4' }),
    expect: adminOnly,
  },
  // A case is drafted by its county's lead only; the city lead and the admin are the wrong level (403).
  // A firm outside the caller's county is a field error, the same as an unknown one (400).
  'cases.create': {
    method: 'POST',
    path: () => '/api/staff/cases',
    body: (f) => caseBody(f.uscc),
    expect: { liaison: 403, leadOther: 400, leadCity: 403, admin: 403 },
  },
  'cases.list': {
    method: 'GET',
    path: () => '/api/staff/cases?jurisdiction=320506',
    expect: managersOnly,
  },
  // A draft is the county's own: to the city above it does not exist yet (404).
  'cases.update': {
    method: 'PATCH',
    path: (f) => `/api/staff/cases/${f.cases.draft}`,
    body: () => ({ version: 1, title: '矩阵测试改标题' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 404, admin: 403 },
  },
  'cases.submit': {
    method: 'POST',
    path: (f) => `/api/staff/cases/${f.cases.draft}/submit`,
    body: () => ({ version: 1 }),
    expect: { liaison: 403, leadOther: 404, leadCity: 404, admin: 403 },
  },
  'cases.recommend': {
    method: 'POST',
    path: (f) => `/api/staff/cases/${f.cases.recommend}/recommend`,
    body: () => ({ version: 2 }),
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 403 },
  },
  'cases.return': {
    method: 'POST',
    path: (f) => `/api/staff/cases/${f.cases.return}/return`,
    body: () => ({ version: 2, reason: '请补充成效数据' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 403 },
  },
  // Selecting and publishing are the province lead's (cases.test.ts): the city lead is the wrong level.
  'cases.select': {
    method: 'POST',
    path: (f) => `/api/staff/cases/${f.cases.held}/select`,
    body: () => ({ version: 2 }),
    expect: { liaison: 403, leadOther: 404, leadCity: 403, admin: 403 },
  },
  'cases.publish': {
    method: 'POST',
    path: (f) => `/api/staff/cases/${f.cases.held}/publish`,
    body: () => ({
      version: 2,
      publicTitle: '矩阵测试公开标题',
      publicSummary: '矩阵测试公开摘要，介绍服务成效。',
      showFirms: false,
    }),
    expect: { liaison: 403, leadOther: 404, leadCity: 403, admin: 403 },
  },
  'cases.unpublish': {
    method: 'POST',
    path: (f) => `/api/staff/cases/${f.cases.held}/unpublish`,
    body: () => ({ version: 2 }),
    expect: { liaison: 403, leadOther: 404, leadCity: 403, admin: 403 },
  },
  'webhooks.get': {
    method: 'GET',
    path: () => '/api/staff/webhooks/320506',
    expect: managersOnly,
  },
  'webhooks.put': {
    method: 'PUT',
    path: () => '/api/staff/webhooks/320506',
    // The runtime's robot stand-in (WeCom's protocol): `webhooks.test` below really posts to it.
    body: () => ({ kind: 'wecom', url: runtime.channels.robotUrl('wecom', 'abcdefgh12345678') }),
    // The city lead sets it; the admin, not naming the version it replaces, is refused.
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 409 },
  },
  'webhooks.test': {
    method: 'POST',
    path: () => '/api/staff/webhooks/320506/test',
    expect: managersOnly,
  },
  'templates.current': {
    method: 'GET',
    path: () => '/api/staff/checkup-templates/current',
    expect: everyone,
  },
  'templates.create': {
    method: 'POST',
    path: () => '/api/staff/checkup-templates',
    body: () => oneItemTemplate,
    expect: { liaison: 403, leadOther: 403, leadCity: 403, admin: 201 },
  },
  'checkups.create': {
    method: 'POST',
    path: () => '/api/staff/checkups',
    body: (f) => checkupBody(f.uscc),
    // Leads start check-ups; a liaison fills in those of its own pairings' firms.
    expect: { liaison: 403, leadOther: 404, leadCity: 201, admin: 201 },
  },
  'checkups.due': {
    method: 'GET',
    path: () => '/api/staff/checkups/due?jurisdiction=320506&within=30',
    // A liaison sees its own pairings' firms in its county; a lead outside the county: 404.
    expect: everyoneInScope,
  },
  'checkups.get': {
    method: 'GET',
    path: (f) => `/api/staff/checkups/${f.checkupId}`,
    expect: everyoneInScope,
  },
  'checkups.answer': {
    method: 'PATCH',
    path: (f) => `/api/staff/checkups/${f.checkupId}`,
    body: () => ({ version: 999, answers: { M1: { result: 'pass' } } }),
    // In scope the request reaches the domain, which refuses the stale version; the liaison is not
    // paired with the firm, so for it the check-up does not exist.
    expect: { liaison: 404, leadOther: 404, leadCity: 409, admin: 409 },
  },
  'checkups.submit': {
    method: 'POST',
    path: (f) => `/api/staff/checkups/${f.checkupId}/submit`,
    // A well-formed signature: in scope the stale version is refused before the file is looked at.
    body: () => ({
      version: 999,
      signature: { evidenceId: '00000000-0000-4000-8000-000000000000', signerName: '代表' },
    }),
    expect: { liaison: 404, leadOther: 404, leadCity: 409, admin: 409 },
  },
  'health.firm': {
    method: 'GET',
    path: (f) => `/api/staff/enterprises/${f.uscc}/health`,
    expect: everyoneInScope,
  },
  'submissions.list': {
    method: 'GET',
    path: () => '/api/staff/submissions?serviceYear=2026',
    // A county lead's subtree holds no city: its list is empty, not refused.
    expect: noLiaison,
  },
  'submissions.create': {
    method: 'POST',
    path: () => '/api/staff/submissions',
    body: () => ({ serviceYear: 2026, city: '320500' }),
    // Suzhou's own lead or an admin; a lead elsewhere does not find the city.
    expect: { liaison: 403, leadOther: 404, leadCity: 201, admin: 201 },
  },
  'submissions.export': {
    method: 'GET',
    path: () => '/api/staff/submissions/2026/320500/export?format=csv',
    // Submitted by the lead or admin above (the matrix runs the roles in order) or not yet: 404.
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 200 },
  },
  'submissions.deadline': {
    method: 'PUT',
    path: () => '/api/staff/submissions/2026/deadline',
    body: () => ({ deadline: '2026-08-31', version: 0 }),
    expect: adminOnly,
  },
  'ledger.stats': {
    method: 'GET',
    path: () => '/api/staff/ledger-stats?jurisdiction=320506',
    expect: managersOnly,
  },
  'parks.list': {
    method: 'GET',
    path: () => '/api/staff/parks?county=320506',
    expect: everyoneInScope,
  },
  'parks.save': {
    method: 'PUT',
    path: () => '/api/staff/parks?county=320506',
    // The same list twice: the second save (the admin's, at the version the first one left behind)
    // asks for what is stored and answers it as it is.
    body: () => ({ version: 0, parks: [{ name: '访问矩阵测试园区' }] }),
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 200 },
  },
  'serviceItems.get': {
    method: 'GET',
    path: () => '/api/staff/service-items',
    expect: everyone,
  },
  'serviceItems.put': {
    method: 'PUT',
    path: () => '/api/staff/service-items',
    body: () => ({ version: 0, items: DEFAULT_SERVICE_ITEMS }),
    expect: adminOnly,
  },
  'serviceItems.stats': {
    method: 'GET',
    path: () => '/api/staff/service-items/stats?jurisdiction=320506',
    expect: managersOnly,
  },
  'ledger.recount': {
    method: 'POST',
    path: () => '/api/staff/ledger-stats/recount',
    expect: adminOnly,
  },
  'ledger.create': {
    method: 'POST',
    path: () => '/api/staff/ledger-items',
    body: (f) => ledgerBody(f.uscc),
    // Leads in scope raise a problem of any firm; a liaison only of the firms it serves (this one is
    // not among its pairings, so it answers as if the firm were not there).
    expect: { liaison: 404, leadOther: 404, leadCity: 201, admin: 201 },
  },
  'ledger.list': {
    method: 'GET',
    path: () => '/api/staff/ledger-items?county=320506',
    expect: everyoneInScope,
  },
  'ledger.get': {
    method: 'GET',
    path: (f) => `/api/staff/ledger-items/${f.ledgerId}`,
    // The item's firm is in the liaison's county but not one of its pairings.
    expect: { liaison: 404, leadOther: 404, leadCity: 200, admin: 200 },
  },
  'ledger.transition': {
    method: 'POST',
    path: (f) => `/api/staff/ledger-items/${f.ledgerId}/transitions`,
    body: () => ({ to: 'in_progress', note: '开始办理', version: 1 }),
    // Not the liaison's firm: 404. The city lead takes it on; the admin then holds a stale version.
    expect: { liaison: 404, leadOther: 404, leadCity: 200, admin: 409 },
  },
  'enterprises.get': {
    method: 'GET',
    path: (f) => `/api/staff/enterprises/${f.uscc}`,
    expect: everyoneInScope,
  },
  'pairings.create': {
    method: 'POST',
    path: () => '/api/staff/pairings',
    body: (f) => ({ uscc: f.unpairedUscc, liaison: 'liaison.wuzhong', serviceYear: 2026, startsOn: '2026-01-01' }),
    // The city lead pairs the firm; the admin then finds it paired.
    expect: { liaison: 403, leadOther: 404, leadCity: 201, admin: 409 },
  },
  'pairings.bulk': {
    method: 'POST',
    path: () => '/api/staff/pairings/bulk',
    body: (f) => ({ requestId: 'matrix-bulk-1', liaison: 'liaison.wuzhong', firms: [f.uscc] }),
    // Another county's lead cannot name a Wuzhong liaison (it reads as no liaison of its own: 400);
    // in scope the answer is 200 with the firm's outcome (paired already here).
    expect: { liaison: 403, leadOther: 400, leadCity: 200, admin: 200 },
  },
  'pairings.workload': {
    method: 'GET',
    path: () => '/api/staff/pairings/workload?jurisdiction=320506',
    expect: managersOnly,
  },
  'pairings.rollOver': {
    method: 'POST',
    path: () => '/api/staff/pairings/roll-over',
    // A version never written: reaching the domain answers VERSION_CONFLICT for it and changes nothing;
    // another county's lead reads it as no pairing (NOT_FOUND in the result, as the bulk pairing does).
    body: (f) => ({
      requestId: 'matrix-roll-over-1',
      from: 2026,
      to: 2027,
      decisions: [{ pairingId: f.pairings.main, action: 'keep', version: 999 }],
    }),
    expect: noLiaison,
  },
  'coverage.get': {
    method: 'GET',
    path: () => '/api/staff/coverage?jurisdiction=320506&year=2026',
    expect: managersOnly,
  },
  'warnings.get': {
    method: 'GET',
    // The early-warning board of Wuzhong (issue 19): Jiangyin's lead is outside, a liaison has none.
    path: () => '/api/staff/warnings?jurisdiction=320506',
    expect: managersOnly,
  },
  'pairings.list': {
    method: 'GET',
    path: () => '/api/staff/pairings?county=320506',
    expect: everyoneInScope,
  },
  'pairings.reassign': {
    method: 'POST',
    path: (f) => `/api/staff/pairings/${f.pairings.moved}/reassign`,
    // Wuzhong has one liaison: reaching the domain shows as "already serves this pairing".
    body: () => ({ liaison: 'liaison.wuzhong' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 400, admin: 400 },
  },
  'pairings.pause': {
    method: 'POST',
    path: (f) => `/api/staff/pairings/${f.pairings.life}/pause`,
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 409 },
  },
  'pairings.resume': {
    method: 'POST',
    path: (f) => `/api/staff/pairings/${f.pairings.life}/resume`,
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 409 },
  },
  'pairings.end': {
    method: 'POST',
    path: (f) => `/api/staff/pairings/${f.pairings.gone}/end`,
    expect: { liaison: 403, leadOther: 404, leadCity: 200, admin: 409 },
  },
  'pairings.change': {
    method: 'PATCH',
    path: (f) => `/api/staff/pairings/${f.pairings.main}`,
    // A version never written: reaching the domain shows as a conflict and changes nothing.
    body: () => ({ checkupIntervalMonths: 6, version: 999 }),
    expect: { liaison: 403, leadOther: 404, leadCity: 409, admin: 409 },
  },
  'pairings.contactLeader': {
    method: 'POST',
    path: (f) => `/api/staff/pairings/${f.pairings.main}/contact-leader`,
    // A version never written: reaching the domain shows as a conflict and changes nothing.
    body: () => ({ contactLeader: null, version: 999 }),
    expect: { liaison: 403, leadOther: 404, leadCity: 409, admin: 409 },
  },
  'contacts.create': {
    method: 'POST',
    path: (f) => `/api/staff/pairings/${f.pairings.main}/contacts`,
    body: () => ({
      at: '2026-10-20T10:00:00+08:00',
      mode: 'visit',
      participants: ['王工'],
      summary: '走访矩阵测试记录',
    }),
    // The pairing's own liaison may log, as may leads in scope.
    expect: { liaison: 201, leadOther: 404, leadCity: 201, admin: 201 },
  },
  'contacts.list': {
    method: 'GET',
    path: (f) => `/api/staff/pairings/${f.pairings.main}/contacts`,
    expect: everyoneInScope,
  },
  'contacts.recent': {
    method: 'GET',
    path: (f) => `/api/staff/pairings/${f.pairings.main}/recent-contacts`,
    // Those who may log a contact here: the pairing's own liaison, leads in scope.
    expect: everyoneInScope,
  },
  'enterprises.update': {
    method: 'PATCH',
    path: (f) => `/api/staff/enterprises/${f.uscc}`,
    body: () => ({ version: 999, address: '新地址' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 409, admin: 409 },
  },
  'firmMe.get': {
    method: 'GET',
    path: () => '/api/firm/me',
    // The firm's own record: its USCC is the token's, no parameter names another firm.
    expect: noStaff,
    firm: 200,
  },
  'firmBookings.create': {
    method: 'POST',
    path: (f) => `/api/firm/consultation-days/${f.dayId}/bookings`,
    // Booked for the token's firm: the body has no field that names a firm, and needs no code.
    body: () => ({ slotId: 's1', topic: '排污许可', question: '权限矩阵测试用的企业预约问题', consent: true }),
    expect: noStaff,
    firm: 201,
  },
  'firmRequests.create': {
    method: 'POST',
    path: () => '/api/firm/requests',
    // The item is always the token's firm's: the body has no field that names a firm.
    body: () => ({ title: '权限矩阵测试诉求', detail: '权限矩阵测试用的企业诉求' }),
    expect: noStaff,
    firm: 201,
  },
  'firmEvidence.create': {
    method: 'POST',
    path: () => '/api/firm/evidence',
    body: () => ({ ...evidenceMeta, contentType: 'image/png' }),
    expect: noStaff,
    firm: 201,
  },
  'firmCheckups.report': {
    method: 'GET',
    // Another firm's submitted check-up: 404 for the firm, as for an id that does not exist.
    path: (f) => `/api/firm/checkups/${f.otherFirmCheckupId}/report`,
    expect: noStaff,
    firm: 404,
  },
  'firmRatings.create': {
    method: 'POST',
    path: (f) => `/api/firm/ledger-items/${f.otherLedgerId}/rating`,
    body: () => ({ stars: 1 }),
    // Another firm's item is not there for this firm: 404, exactly as an unknown id.
    expect: noStaff,
    firm: 404,
  },
  'me.get': {
    method: 'GET',
    path: () => '/api/staff/me',
    expect: everyone,
  },
  'days.create': {
    method: 'POST',
    path: () => '/api/staff/consultation-days',
    body: dayBody,
    expect: { liaison: 403, leadOther: 403, leadCity: 201, admin: 201 },
  },
  'days.list': {
    method: 'GET',
    path: () => '/api/staff/consultation-days',
    expect: { ...managersOnly, leadOther: 200 },
  },
  'days.get': { method: 'GET', path: (f) => `/api/staff/consultation-days/${f.dayId}`, expect: managersOnly },
  'days.copy': {
    method: 'POST',
    path: (f) => `/api/staff/consultation-days/${f.dayId}/copy`,
    // A date in the past: reaching the domain shows as a refusal of the date and creates nothing.
    body: () => ({ date: '2020-01-06' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 400, admin: 400 },
  },
  'days.update': {
    method: 'PATCH',
    path: (f) => `/api/staff/consultation-days/${f.dayId}`,
    body: () => ({ version: 999, venue: 'x' }),
    // In scope the request reaches the domain, which refuses the stale version.
    expect: { liaison: 403, leadOther: 404, leadCity: 409, admin: 409 },
  },
  'days.cancel': {
    method: 'POST',
    path: (f) => `/api/staff/consultation-days/${f.dayId}/cancel`,
    body: () => ({ version: 999, reason: '测试原因' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 409, admin: 409 },
  },
  'days.bookings': {
    method: 'GET',
    path: (f) => `/api/staff/consultation-days/${f.dayId}/bookings`,
    expect: managersOnly,
  },
  'days.bookingsCsv': {
    method: 'GET',
    path: (f) => `/api/staff/consultation-days/${f.dayId}/bookings.csv`,
    expect: managersOnly,
  },
  'days.bookingsXlsx': {
    method: 'GET',
    path: (f) => `/api/staff/consultation-days/${f.dayId}/bookings.xlsx`,
    expect: managersOnly,
  },
  'days.message': {
    method: 'POST',
    path: (f) => `/api/staff/consultation-days/${f.dayId}/messages`,
    // One request id: the second caller in scope gets the first one's answer, recorded once.
    body: () => ({ requestId: 'matrix-request-0001', text: '请携带排污许可证副本' }),
    expect: { liaison: 403, leadOther: 404, leadCity: 202, admin: 202 },
  },
  'bookings.attendance': {
    method: 'POST',
    path: (f) => `/api/staff/bookings/${f.code}/attendance`,
    body: () => ({ status: 'attended', outcome: '已解答' }),
    // The fixture's day is ahead: in scope the request reaches the domain, which refuses it as too early.
    expect: { liaison: 403, leadOther: 404, leadCity: 409, admin: 409 },
  },
};

let runtime: Runtime;
let dataDir: string;
const tokens = {} as Record<Caller | 'owner' | 'firm', string>;
let fixture: Fixture;

/** A firm token for `uscc`, signed in through the public routes with the code the SMS stand-in got. */
const signInFirm = async (uscc: string, mobile: string): Promise<string> => {
  const codes = (entries: OutboxEntry[]) =>
    entries.filter((e) => e.channel === 'sms' && e.to === `+86${mobile}` && e.text.includes('验证码'));
  expect((await call('POST', '/api/public/firm-sign-in/start', undefined, { uscc, mobile })).status).toBe(202);
  const entries = await waitForOutbox((all) => codes(all).length > 0);
  const code = /验证码为 (\d{6})/.exec(codes(entries).at(-1)?.text ?? '')?.[1] ?? '';
  const res = await call('POST', '/api/public/firm-sign-in/verify', undefined, { uscc, mobile, code });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
};

const call = (method: string, path: string, token?: string, body?: unknown) =>
  fetch(`${runtime.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'eco-matrix-'));
  runtime = await startRuntime({ port: 0, dataDir, siteDir: dataDir, scheduler: false, log: () => undefined });
  for (const [caller, username] of Object.entries({ ...callers, owner: 'lead.wuzhong' })) {
    const res = await call('POST', '/api/local-auth/sign-in', undefined, { username, password: 'demo' });
    tokens[caller as Caller] = ((await res.json()) as { token: string }).token;
  }
  const date = shanghaiDate(new Date(Date.now() + 12 * 86_400_000));
  const created = await call('POST', '/api/staff/consultation-days', tokens.owner, {
    ...dayBody({ date }),
    slots: [{ startsAt: `${date}T09:00:00+08:00`, endsAt: `${date}T10:00:00+08:00`, capacity: 5 }],
  });
  const dayId = ((await created.json()) as { day: { dayId: string } }).day.dayId;
  const booked = await bookAndVerify({ url: runtime.url }, dayId, {
    slotId: 's1',
    uscc: '91350100M000100Y43',
    companyName: '矩阵测试企业',
    contactName: '李四',
    mobile: '13700000000',
    topic: '排污许可',
    question: '权限矩阵测试用的咨询问题',
    consent: true,
  });
  const uscc = '91110000710925462X';
  expect((await call('POST', '/api/staff/enterprises', tokens.owner, enterpriseBody(uscc))).status).toBe(201);
  tokens.firm = await signInFirm(uscc, '13600000000');
  const firms = distinctUsccs(5);
  for (const firm of firms) {
    expect((await call('POST', '/api/staff/enterprises', tokens.owner, enterpriseBody(firm))).status).toBe(201);
  }
  const pairFirm = async (firm: string) => {
    const res = await call('POST', '/api/staff/pairings', tokens.owner, {
      uscc: firm,
      liaison: 'liaison.wuzhong',
      serviceYear: 2026,
      startsOn: '2026-01-01',
    });
    return ((await res.json()) as { pairing: { pairingId: string } }).pairing.pairingId;
  };
  const [main, life, gone, moved, unpairedUscc] = firms as [string, string, string, string, string];
  const evidence = await call('POST', '/api/staff/evidence', tokens.owner, evidenceMeta);
  const ledger = await call('POST', '/api/staff/ledger-items', tokens.owner, ledgerBody(uscc));
  const checkup = await call('POST', '/api/staff/checkups', tokens.owner, checkupBody(uscc));
  // A submitted check-up of another firm (paired below), which the signed-in firm must not read.
  const others = await call('POST', '/api/staff/checkups', tokens.owner, checkupBody(firms[4] as string));
  const otherFirmCheckupId = ((await others.json()) as { checkup: { checkupId: string } }).checkup.checkupId;
  const allPass = Object.fromEntries(DEFAULT_TEMPLATE.items.map((i) => [i.itemId, { result: 'pass' }]));
  await call('PATCH', `/api/staff/checkups/${otherFirmCheckupId}`, tokens.owner, { version: 1, answers: allPass });
  expect(
    (
      await call('POST', `/api/staff/checkups/${otherFirmCheckupId}/submit`, tokens.owner, {
        version: 2,
        signature: await uploadSignature(runtime.url, tokens.owner),
      })
    ).status,
  ).toBe(200);
  const inspected = await call(
    'POST',
    '/api/firm/self-inspections',
    tokens.firm,
    selfInspectionBody('0b6c1b1e-5f0e-4c55-9a1e-00000000000f'),
  );
  const outcomes = (
    (await inspected.json()) as { selfInspection: { suggestions: Record<string, { suggestionId: string }> } }
  ).selfInspection.suggestions;
  const otherLedger = await call('POST', '/api/staff/ledger-items', tokens.owner, ledgerBody(unpairedUscc));
  const newCase = async (submit: boolean) => {
    const res = await call('POST', '/api/staff/cases', tokens.owner, caseBody(uscc));
    const caseId = ((await res.json()) as { case: { caseId: string } }).case.caseId;
    if (submit)
      expect((await call('POST', `/api/staff/cases/${caseId}/submit`, tokens.owner, { version: 1 })).status).toBe(200);
    return caseId;
  };
  const cases = {
    draft: await newCase(false),
    recommend: await newCase(true),
    return: await newCase(true),
    held: await newCase(true),
  };
  fixture = {
    cases,
    checkupId: ((await checkup.json()) as { checkup: { checkupId: string } }).checkup.checkupId,
    otherFirmCheckupId,
    suggestions: { accept: outcomes.M1?.suggestionId ?? '', dismiss: outcomes.M2?.suggestionId ?? '' },
    ledgerId: ((await ledger.json()) as { item: { itemId: string } }).item.itemId,
    otherLedgerId: ((await otherLedger.json()) as { item: { itemId: string } }).item.itemId,
    evidenceId: ((await evidence.json()) as { evidenceId: string }).evidenceId,
    dayId,
    code: (booked.json as { booking: { code: string } }).booking.code,
    date,
    uscc,
    unpairedUscc,
    pairings: {
      main: await pairFirm(main),
      life: await pairFirm(life),
      gone: await pairFirm(gone),
      moved: await pairFirm(moved),
    },
  };
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('staff users in scope', () => {
  it('lists the accounts of the caller’s subtree only', async () => {
    const names = async (caller: Caller) =>
      (
        (await (await call('GET', '/api/staff/users', tokens[caller])).json()) as { users: { username: string }[] }
      ).users
        .map((u) => u.username)
        .sort();
    // Each county has a second demo liaison (issue 20).
    expect(await names('leadCity')).toEqual([
      'lead.suzhou',
      'lead.wuzhong',
      'liaison.wuzhong',
      'liaison.xiangcheng',
      'liaison2.wuzhong',
      'liaison2.xiangcheng',
    ]);
    expect(await names('leadOther')).toEqual(['lead.jiangyin', 'liaison.jiangyin', 'liaison2.jiangyin']);
    expect(await names('admin')).toHaveLength(10);
  });
});

describe('signed-in route × caller matrix (rule 8)', () => {
  it('covers every staff and firm route of the route table', () => {
    const signedInRoutes = routes.filter((r) => r.auth !== 'public').map((r) => r.id);
    expect(Object.keys(matrix).sort()).toEqual([...signedInRoutes].sort());
  });

  for (const [id, c] of Object.entries(matrix)) {
    it(`${id}: 401 without or with a forged token; ${JSON.stringify({ ...c.expect, firm: c.firm ?? 401 })} by caller`, async () => {
      const path = c.path(fixture);
      const body = c.body?.(fixture);
      expect((await call(c.method, path, undefined, body)).status).toBe(401);
      const forged = `${tokens.admin.split('.').slice(0, 2).join('.')}.${'A'.repeat(40)}`;
      expect((await call(c.method, path, forged, body)).status).toBe(401);
      for (const caller of Object.keys(callers) as Caller[]) {
        const res = await call(c.method, path, tokens[caller], body);
        expect(res.status, `${caller} → ${c.method} ${path}`).toBe(c.expect[caller]);
        if (res.status === 404) {
          // Out of scope looks exactly like "does not exist".
          expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found' } });
        }
      }
      // A signed-in firm: its own routes only; a staff route refuses its token as no sign-in at all.
      const firmRes = await call(c.method, path, tokens.firm, body);
      expect(firmRes.status, `firm → ${c.method} ${path}`).toBe(c.firm ?? 401);
    });
  }
});
