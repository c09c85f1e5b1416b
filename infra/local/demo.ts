import { createHash } from 'node:crypto';
import { monthBefore, monthOf } from '../../shared/monthly.ts';
import { fromShanghai, shanghaiDate } from '../../shared/time.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import type { Issuer } from './issuer.ts';

/**
 * Demo records for `npm start` on an empty store: firms across the demo counties, a pairing for each
 * with its county's liaison, and three months of contacts with a few gaps, so every console page
 * shows something real. Written through the product's own API (as the demo accounts), so every
 * rule, audit event and counter holds for them exactly as for data people enter.
 */
const FIRMS: Record<string, readonly [name: string, industry: string][]> = {
  '320506': [
    ['苏州吴中精细化工有限公司', '化学原料和化学制品制造'],
    ['苏州东山印染有限公司', '纺织印染'],
    ['苏州木渎电镀科技有限公司', '金属表面处理及热处理'],
    ['苏州胥口新材料有限公司', '塑料制品'],
    ['苏州甪直纺织有限公司', '纺织'],
    ['苏州临湖食品有限公司', '食品制造'],
    ['苏州越溪精密机械有限公司', '通用设备制造'],
    ['苏州光福包装印刷有限公司', '印刷'],
    ['苏州横泾医药科技有限公司', '医药制造'],
    ['苏州金庭污水处理有限公司', '污水处理'],
    ['苏州城南汽车零部件有限公司', '汽车零部件制造'],
    ['苏州香山建材有限公司', '非金属矿物制品'],
  ],
  '320507': [
    ['苏州相城电子材料有限公司', '电子元件制造'],
    ['苏州黄埭铝业有限公司', '有色金属压延加工'],
    ['苏州渭塘纺织助剂有限公司', '化学原料和化学制品制造'],
    ['苏州阳澄湖水产加工有限公司', '农副食品加工'],
    ['苏州北桥涂装有限公司', '金属表面处理及热处理'],
    ['苏州望亭热电有限公司', '电力、热力生产和供应'],
    ['苏州太平家具有限公司', '家具制造'],
    ['苏州元和印务有限公司', '印刷'],
    ['苏州黄桥危废处置有限公司', '危险废物治理'],
    ['苏州漕湖医疗器械有限公司', '医疗仪器设备制造'],
  ],
  '320281': [
    ['江阴澄江钢铁有限公司', '黑色金属冶炼和压延加工'],
    ['江阴申港化纤有限公司', '化学纤维制造'],
    ['江阴周庄印染有限公司', '纺织印染'],
    ['江阴临港石化仓储有限公司', '仓储'],
    ['江阴华士电缆有限公司', '电线电缆制造'],
    ['江阴青阳铸造有限公司', '铸造'],
    ['江阴璜土热处理有限公司', '金属表面处理及热处理'],
    ['江阴月城食品有限公司', '食品制造'],
  ],
};
const LIAISONS: Record<string, string> = {
  '320506': 'liaison.wuzhong',
  '320507': 'liaison.xiangcheng',
  '320281': 'liaison.jiangyin',
};
const SECOND_LIAISONS: Record<string, string> = {
  '320506': 'liaison2.wuzhong',
  '320507': 'liaison2.xiangcheng',
  '320281': 'liaison2.jiangyin',
};
/** Firms of issue 20's demo: the first two paired with the county's second liaison, the third unpaired. */
const MORE_FIRMS: Record<string, readonly [name: string, industry: string][]> = {
  '320506': [
    ['苏州吴中新能源科技有限公司', '电池制造'],
    ['苏州东吴涂料有限公司', '涂料制造'],
    ['苏州吴中再生资源有限公司', '再生资源回收'],
  ],
  '320507': [
    ['苏州相城智能装备有限公司', '专用设备制造'],
    ['苏州阳澄生物科技有限公司', '生物药品制造'],
    ['苏州相城环保建材有限公司', '非金属矿物制品'],
  ],
  '320281': [
    ['江阴长江港口物流有限公司', '装卸搬运和仓储'],
    ['江阴新桥毛纺有限公司', '毛纺织'],
    ['江阴祝塘化工有限公司', '化学原料和化学制品制造'],
  ],
};
const LEADS: Record<string, string> = {
  '320506': 'lead.wuzhong',
  '320507': 'lead.suzhou',
  '320281': 'lead.jiangyin',
};
const SIZES = ['large', 'medium', 'small', 'micro'] as const;
const SUMMARIES = [
  '走访企业，查看废水处理设施运行台账，提醒按时开展自行监测。',
  '视频连线企业环保负责人，了解排污许可证执行报告填报情况。',
  '现场查看危废贮存间标识和台账，指导规范化管理。',
  '了解企业扩建项目环评手续办理进度，解答审批流程问题。',
  '走访车间，核查VOCs收集和治理设施运行情况。',
];

/** Problems firms raise, for the demo's service ledger. */
const REQUESTS = [
  ['危废暂存间扩建是否需要重新环评', '企业计划扩建危险废物暂存间，咨询是否需要重新办理环评手续。'],
  ['排污许可证延续办理咨询', '企业排污许可证将于明年到期，咨询延续申请所需材料和时限。'],
  ['VOCs治理设施提标改造技术指导', '企业拟对活性炭吸附装置进行提标改造，希望获得技术指导。'],
  ['自行监测方案修订', '新增排放口后需要修订自行监测方案，请求指导填报。'],
] as const;

/** A USCC registered in `county` (its registration-authority part), the `n`-th of the demo. */
const demoUscc = (county: string, n: number): string => {
  const body = `91${county}MA${String(n).padStart(7, '0')}`;
  return body + usccCheckChar(body);
};

/** `{year, month}` (month 1-12) of the Beijing month `back` months before `now`'s. */
const monthParts = (now: Date, back: number) => {
  const [year, month] = monthBefore(monthOf(now), back).split('-').map(Number) as [number, number];
  return { year, month };
};

const isoDay = (year: number, month: number, day: number) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export const seedDemoRecords = async (url: string, issuer: Issuer, now = new Date()): Promise<number> => {
  const tokens = new Map<string, string>();
  const tokenOf = async (username: string) => {
    let token = tokens.get(username);
    if (!token) {
      token = (await issuer.signIn(username, 'demo'))?.token ?? '';
      tokens.set(username, token);
    }
    return token;
  };
  const request: Request = async (method, username, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${await tokenOf(username)}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
  const post = (username: string, path: string, body: unknown) => request('POST', username, path, body);
  const created = (status: number) => {
    // 409: there from an earlier, interrupted seed.
    if (status !== 201 && status !== 409) throw new Error(`Demo seed failed with ${status}`);
    return status === 201 ? 1 : 0;
  };

  const start = monthParts(now, 2);
  const today = Number(shanghaiDate(now).slice(8, 10));
  let count = 0;

  /** One demo firm: registered, paired with `liaison` (none: left unpaired) and its contacts logged. */
  const seedFirm = async (county: string, i: number, n: number, name: string, industry: string, liaison?: string) => {
    const uscc = demoUscc(county, n);
    const lead = LEADS[county] as string;
    count += created(
      (
        await post(lead, '/api/staff/enterprises', {
          uscc,
          name,
          county,
          address: `${name.slice(2, 4)}工业园区 ${n} 号`,
          industry,
          size: SIZES[n % SIZES.length],
          tier: n % 9 === 0 ? 'city' : 'county',
          permitNo: `${uscc.slice(8)}001P`,
          // A few permits run out within the early-warning window (issue 19), so its board shows them.
          permitExpiresOn:
            n % 10 === 3
              ? shanghaiDate(new Date(now.getTime() + (20 + n) * 86_400_000))
              : isoDay(start.year + 2, ((n % 12) as number) + 1, 1),
          contacts: [{ name: `联系人${n}`, role: '环保负责人', mobile: `139${String(n).padStart(8, '0')}` }],
        })
      ).status,
    );
    if (!liaison) return;
    const paired = await post(lead, '/api/staff/pairings', {
      uscc,
      liaison,
      serviceYear: start.year,
      startsOn: isoDay(start.year, start.month, 1),
    });
    count += created(paired.status);
    const pairingId = (paired.json as { pairing?: { pairingId: string } } | null)?.pairing?.pairingId;
    if (!pairingId) return;
    // Two months back: most firms visited; last month: a few gaps; this month: half so far.
    const plan: { back: number; day: number; mode: string }[] = [];
    if (n % 7 !== 3) plan.push({ back: 2, day: 5 + (n % 20), mode: 'visit' });
    if (n % 5 !== 2) plan.push({ back: 1, day: 3 + (n % 24), mode: n % 3 === 0 ? 'video' : 'visit' });
    if (n % 4 === 1) plan.push({ back: 1, day: 27, mode: 'phone' });
    if (n % 2 === 0 && today > 2) plan.push({ back: 0, day: 1 + (n % (today - 1)), mode: 'visit' });
    for (const [k, contact] of plan.entries()) {
      const month = monthParts(now, contact.back);
      const at = fromShanghai(month.year, month.month, contact.day, 10 + (n % 6));
      if (at >= now) continue;
      const logged = await post(liaison, `/api/staff/pairings/${pairingId}/contacts`, {
        at: at.toISOString(),
        mode: contact.mode,
        participants: [`联系人${n}`],
        summary: SUMMARIES[(n + k) % SUMMARIES.length],
      });
      count += created(logged.status);
    }
    // The ledger and check-ups of the demo are Jiangyin's (the console's tests work in Suzhou's counties).
    if (county === LEDGER_COUNTY) count += await seedLedgerAndCheckup(request, { i, uscc, lead, liaison, now });
  };

  let n = 0;
  for (const [county, firms] of Object.entries(FIRMS)) {
    for (const [i, [name, industry]] of firms.entries()) {
      n++;
      await seedFirm(county, i, n, name, industry, LIAISONS[county]);
    }
  }
  // Issue 20: each county's second liaison serves two more firms, and one firm waits unpaired (the
  // roster's "unpaired" filter and the bulk pairing have something to show). Numbered after the
  // others, so the firms above keep their codes.
  for (const [county, firms] of Object.entries(MORE_FIRMS)) {
    for (const [i, [name, industry]] of firms.entries()) {
      n++;
      await seedFirm(county, 100 + i, n, name, industry, i < 2 ? SECOND_LIAISONS[county] : undefined);
    }
  }
  count += await seedDemoDays(request, now);
  return count;
};

/**
 * Upcoming consultation days (issue 20), Jiangyin's like the ledger (the console's tests work in
 * Suzhou's counties): one on site in a week, one online in two weeks, so the public list, the
 * console's calendar and its share link show something real. Written when the county has no day in
 * the next 90 days (the staff list's default range): a restart the same week writes none, a demo
 * started again weeks later gets days ahead again.
 */
const seedDemoDays = async (request: Request, now: Date): Promise<number> => {
  const lead = LEADS[LEDGER_COUNTY] as string;
  const listed = await request('GET', lead, '/api/staff/consultation-days');
  if (((listed.json as { days?: unknown[] } | null)?.days ?? []).length > 0) return 0;
  const dayAhead = (days: number) => shanghaiDate(new Date(now.getTime() + days * 86_400_000));
  const slots = (date: string) =>
    ['09:00', '10:00', '14:00'].map((from, k) => ({
      startsAt: `${date}T${from}:00+08:00`,
      endsAt: `${date}T${['09:50', '10:50', '14:50'][k]}:00+08:00`,
      capacity: 4,
    }));
  const days = [
    { date: dayAhead(7), mode: 'onsite', venue: '江阴市生态环境局三楼会议室', topics: ['排污许可', '环评审批'] },
    { date: dayAhead(14), mode: 'online', onlineUrl: 'https://meeting.example.cn/jiangyin', topics: ['危废管理'] },
  ];
  let count = 0;
  for (const day of days) {
    const made = await request('POST', lead, '/api/staff/consultation-days', {
      ...day,
      jurisdiction: LEDGER_COUNTY,
      slots: slots(day.date),
    });
    count += made.status === 201 ? 1 : 0;
  }
  return count;
};

type Request = (
  method: 'GET' | 'POST' | 'PATCH',
  username: string,
  path: string,
  body?: unknown,
) => Promise<{ status: number; json: unknown }>;

const LEDGER_COUNTY = '320281';

/** A drawn stroke (a 120×40 grey PNG) standing for a firm representative's signature on the tablet. */
const DEMO_SIGNATURE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAHgAAAAoCAAAAAAQgWH5AAAAr0lEQVR42u3W2wqAIAwG4P9J9v5vWYRBarqDjkWwXUWDfXZwE8dHgYQTTjjhK6hENExPhMJESzI82Oo6Cu4sgwxP1yJj01Xc8oeHiFaGs6uWodoqJoCRqxSUO3Sx/LucDFMX/O8sZvsyYNlZM5ZaxXCh7T3IDal9ft1EYJfNwNy7UvZk9ktN4Gll0ywQFgqDW7L2ucXv4zu/MNI3TyBr49wVDj9zBap5vE044YR/CZ9pHZwIhBQ9uQAAAABJRU5ErkJggg==',
  'base64',
);

/** Uploads the signature as the form's pad does (by whoever submits): its evidence id, or none. */
const uploadDemoSignature = async (request: Request, username: string): Promise<string | undefined> => {
  const made = await request('POST', username, '/api/staff/evidence', {
    fileName: 'signature.png',
    contentType: 'image/png',
    size: DEMO_SIGNATURE.length,
    sha256: createHash('sha256').update(DEMO_SIGNATURE).digest('hex'),
  });
  const body = made.json as { evidenceId?: string; upload?: { url: string; headers: Record<string, string> } } | null;
  if (!body?.evidenceId || !body.upload) return undefined;
  const put = await fetch(body.upload.url, { method: 'PUT', headers: body.upload.headers, body: DEMO_SIGNATURE });
  return put.ok ? body.evidenceId : undefined;
};

/**
 * In one county, four firms raised a problem (one past its due date, one in progress, one resolved,
 * one closed by the lead) and three had a check-up, two of them with a failed item: so the ledger
 * board, the leader's page and the firms' health show something real.
 */
const seedLedgerAndCheckup = async (
  request: Request,
  firm: { i: number; uscc: string; lead: string; liaison: string; now: Date },
): Promise<number> => {
  const { i, uscc, lead, liaison, now } = firm;
  const post = (username: string, path: string, body: unknown) => request('POST', username, path, body);
  let count = 0;
  const day = (offset: number) => shanghaiDate(new Date(now.getTime() + offset * 86_400_000));
  if (i < REQUESTS.length) {
    const [title, detail] = REQUESTS[i] as readonly [string, string];
    const raised = await post(lead, '/api/staff/ledger-items', {
      uscc,
      title,
      detail,
      source: 'request',
      severity: (['high', 'medium', 'low', 'medium'] as const)[i],
      dueOn: day(i === 0 ? -3 : 20),
      ownerDepartment: i % 2 === 0 ? '环评审批科' : '环境监管科',
    });
    count += raised.status === 201 ? 1 : 0;
    let item = (raised.json as { item?: { itemId: string; version: number } } | null)?.item;
    const moves = [[], ['in_progress'], ['in_progress', 'resolved'], ['in_progress', 'resolved', 'closed']][i] ?? [];
    for (const to of moves) {
      if (!item) break;
      const moved = await post(to === 'closed' ? lead : liaison, `/api/staff/ledger-items/${item.itemId}/transitions`, {
        to,
        note: to === 'resolved' ? '已当面答复并提供书面指导材料。' : '已联系企业，正在办理。',
        version: item.version,
        ...(to === 'closed' ? { override: { reason: '企业负责人电话确认已解决' } } : {}),
      });
      item = (moved.json as { item?: { itemId: string; version: number } } | null)?.item;
    }
  }
  if (i >= 4 && i < 7) {
    // The lead starts the check-up; the firm's liaison fills it in and submits it.
    const started = await post(lead, '/api/staff/checkups', {
      uscc,
      at: new Date(now.getTime() - 10 * 86_400_000).toISOString(),
      inspectors: ['联络员', '环保专家'],
    });
    const body = started.json as {
      checkup?: { checkupId: string; version: number };
      template?: { items: { itemId: string }[] };
    } | null;
    if (body?.checkup && body.template) {
      const failed = i === 6 ? undefined : body.template.items[(i - 4) * 5]?.itemId;
      const answers = Object.fromEntries(
        body.template.items.map((i) => [
          i.itemId,
          i.itemId === failed ? { result: 'fail', note: '现场检查发现问题，需限期整改。' } : { result: 'pass' },
        ]),
      );
      const id = body.checkup.checkupId;
      const saved = await request('PATCH', liaison, `/api/staff/checkups/${id}`, {
        version: body.checkup.version,
        answers,
      });
      const version = (saved.json as { checkup?: { version: number } } | null)?.checkup?.version;
      const evidenceId = version ? await uploadDemoSignature(request, liaison) : undefined;
      if (version && evidenceId) {
        const signature = { evidenceId, signerName: '企业环保负责人' };
        count +=
          (await post(liaison, `/api/staff/checkups/${id}/submit`, { version, signature })).status === 200 ? 1 : 0;
      }
    }
  }
  return count;
};

/**
 * Points each demo county's group robot at the local robot stand-in (WeCom's protocol), so the
 * jobs' robot posts really go out and show in the outbox. Its port can change between starts:
 * a robot already on this stand-in is left alone, any other (or none) is set again.
 */
export const pointDemoRobots = async (
  url: string,
  issuer: Issuer,
  robotUrl: (county: string) => string,
): Promise<number> => {
  let pointed = 0;
  for (const [county, lead] of Object.entries(LEADS)) {
    const token = (await issuer.signIn(lead, 'demo'))?.token ?? '';
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const path = `${url}/api/staff/webhooks/${county}`;
    const current = (await (await fetch(path, { headers })).json()) as {
      webhook?: { url?: string; version?: number } | null;
    };
    const target = robotUrl(county);
    if (current.webhook?.url?.startsWith(new URL(target).origin)) continue;
    const res = await fetch(path, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ kind: 'wecom', url: target, version: current.webhook?.version }),
    });
    if (res.status !== 200) throw new Error(`Demo robot for ${county} not set: ${res.status}`);
    pointed += 1;
  }
  return pointed;
};
