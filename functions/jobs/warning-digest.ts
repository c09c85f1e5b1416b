import { contains, nameOf, prefixOf } from '../../shared/jurisdictions.ts';
import { keys } from '../../shared/keys.ts';
import type { JobEvent } from '../../shared/schedules.ts';
import { shanghaiDate } from '../../shared/time.ts';
import {
  countsOf,
  DIGEST_TOP_ITEMS,
  itemsWhere,
  totalOf,
  type WarningCounts,
  type WarningItems,
} from '../../shared/warnings.ts';
import type { UserProfile } from '../lib/accounts/profiles.ts';
import { newRun } from '../lib/messaging/deliveries.ts';
import { consoleLink, deliveriesOfPeople, type Message, sendWeeklyDigests } from '../lib/messaging/job-messages.ts';
import { queryAll } from '../lib/store/table.ts';
import { warningsUnder } from '../lib/warnings/board.ts';
import { mondayOf } from './ledger-overdue.ts';

const BAND_ZH = { green: '绿色', yellow: '黄色', red: '红色' } as const;

/** The digest's lines: the counts, then the first few of each list (the board behind the link has the rest). */
const digestText = (lead: UserProfile, today: string, counts: WarningCounts, items: WarningItems, link: string) => {
  const top = <T>(list: readonly T[], line: (row: T) => string) =>
    list.slice(0, DIGEST_TOP_ITEMS).map((row, i) => `  ${i + 1}. ${line(row)}`);
  const more = (list: readonly unknown[]) =>
    list.length > DIGEST_TOP_ITEMS ? [`  ……另有 ${list.length - DIGEST_TOP_ITEMS} 项`] : [];
  return [
    `${lead.displayName || lead.username}，您好：截至${today}，${nameOf(lead.jurisdiction)}体检预警如下：`,
    `体检红色 ${counts.red} 家，评级变差 ${counts.worsened} 家，红色问题逾期未整改 ${counts.findings} 项，排污许可证 60 天内到期 ${counts.permitsExpiring} 家、已过期 ${counts.permitsExpired} 家。`,
    ...(items.firms.length > 0 ? ['体检红色或评级变差的企业：'] : []),
    ...top(
      items.firms,
      (f) =>
        `${f.firmName}（${f.uscc}）：${BAND_ZH[f.band]}，${f.score} 分${f.previousBand ? `（上次${BAND_ZH[f.previousBand]}）` : ''}`,
    ),
    ...more(items.firms),
    ...(items.findings.length > 0 ? ['逾期未整改的红色问题：'] : []),
    ...top(
      items.findings,
      (f) => `${f.firmName}：${f.title}（应整改 ${f.dueOn}，逾期 ${f.daysLate} 天，${f.ownerDepartment}）`,
    ),
    ...more(items.findings),
    ...(items.permits.length > 0 ? ['排污许可证到期提醒：'] : []),
    ...top(
      items.permits,
      (p) =>
        `${p.firmName}（${p.uscc}）：有效期至 ${p.permitExpiresOn}，${p.expired ? `已过期 ${-p.days} 天` : `还有 ${p.days} 天`}`,
    ),
    ...more(items.permits),
    `查看预警看板：${link}`,
  ].join('\n');
};

/** Every enabled lead account (the users index, role filtered: one Query, a few pages at most). */
const allLeads = async (): Promise<UserProfile[]> =>
  (
    await queryAll({
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :p',
      FilterExpression: '#role = :lead AND (attribute_not_exists(enabled) OR enabled = :on)',
      ExpressionAttributeNames: { '#role': 'role' },
      ExpressionAttributeValues: { ':p': keys.usersScopePk(), ':lead': 'lead', ':on': true },
    })
  ).map((u) => u as unknown as UserProfile);

/**
 * Mondays 09:00 Beijing (issue 19): each lead gets one digest of its unit's early-warning board (the
 * counts, the first items of each list, the link), none when the board is empty. The board's data is
 * read once per province and narrowed per lead. The digest's key carries the week's Monday, so a rerun
 * or a concurrent run of the same week finds it claimed and sends nothing twice; its e-mail goes by
 * the messaging engine's retried rounds, like `ledger-digest`.
 */
export const warningDigest = async (_event: JobEvent, now: Date) => {
  const run = newRun();
  const leads = await allLeads();
  const provinces = [...new Set(leads.map((l) => `${l.jurisdiction.slice(0, 2)}0000`))];
  const boards = new Map(
    await Promise.all(provinces.map(async (p) => [p, await warningsUnder(prefixOf(p), now)] as const)),
  );
  const today = shanghaiDate(now);
  const monday = mondayOf(today);
  const messages = leads.flatMap((lead): Message[] => {
    const board = boards.get(`${lead.jurisdiction.slice(0, 2)}0000`);
    if (!board) return [];
    const items = itemsWhere(board.items, (county) => contains(lead.jurisdiction, county));
    const counts = countsOf(items);
    if (totalOf(counts) === 0) return [];
    const link = consoleLink(`/staff/warnings/?jurisdiction=${lead.jurisdiction}`);
    return [
      {
        key: keys.warningDigest(lead.username, monday),
        item: {
          type: 'digest',
          messageId: `${lead.username}:${monday}:warnings`,
          lead: lead.username,
          week: monday,
          kind: 'warning-digest',
          counts,
          createdAt: now.toISOString(),
          deliveries: deliveriesOfPeople([lead]),
        },
        inboxFor: [lead.username],
        content: {
          subject: `【体检预警·周报】截至${today}：红色 ${counts.red} 家，变差 ${counts.worsened} 家，逾期红色问题 ${counts.findings} 项，许可证到期 ${counts.permitsExpiring + counts.permitsExpired} 家`,
          text: digestText(lead, today, counts, items, link),
        },
        link,
      },
    ];
  });
  return { week: monday, leads: leads.length, boards: messages.length, ...(await sendWeeklyDigests(messages, run)) };
};
