import { firmTypesText, SIZE_LABELS } from '../../../shared/enterprise-words.ts';
import { nameOf, prefixOf } from '../../../shared/jurisdictions.ts';
import { userProfiles } from '../accounts/profiles.ts';
import { enterpriseViews } from '../enterprises/enterprises.ts';
import { beijingTime } from '../formats/export-bounds.ts';
import type { Identity } from '../http/identity.ts';
import { inScope } from '../http/scope.ts';
import { listPairings } from './pairings.ts';

/**
 * The province's submission table (paired firms, their liaisons and contact leaders, issue 19): the
 * rows of one service year inside a jurisdiction, as the export downloads them and as a city's
 * submission freezes them (functions/lib/pairings/submissions.ts).
 */
export const SUBMISSION_HEADER = [
  '序号',
  '所在地区',
  '企业名称',
  '统一社会信用代码',
  '企业规模',
  '企业联络员',
  '联络员用户名',
  '联络员手机',
  '联系领导',
  '服务年度',
  '结对日期',
  '状态',
  '最近一次走访或视频连线',
  '帮扶导师企业',
  // Last, so the versions frozen before it (rows one cell shorter) still read under this header.
  '企业类型',
];
/**
 * The names of the pairings' mentor firms that lie inside the caller's scope, as every reader sees
 * them (a committed import's change included). A mentor outside it (stored by a wider scope, e.g.
 * an admin's) shows as its code only, never its name.
 */
const mentorNames = async (me: Identity, pairings: readonly { mentorUscc: string | null }[]) => {
  const mentors = await enterpriseViews(pairings.flatMap((p) => (p.mentorUscc ? [p.mentorUscc] : [])));
  return new Map([...mentors.values()].filter((m) => inScope(me, m.county)).map((m) => [m.uscc, m.name]));
};

const STATUS_WORDS: Record<string, string> = { active: '服务中', paused: '暂停', ended: '已结束' };

/** 大型/中型/小型/微型: the size in the words the province's table and the roster import use. */
const sizeWord = (size: string | undefined): string =>
  (size && SIZE_LABELS[size as keyof typeof SIZE_LABELS]?.zh) || '';

export type SubmissionRow = (string | number)[];

/** The table's rows for `jurisdiction` and `serviceYear`, as `me` may see them (a liaison: its own). */
export const submissionRows = async (
  me: Identity,
  jurisdiction: string,
  serviceYear: number,
): Promise<SubmissionRow[]> => {
  const pairings = await listPairings({
    jurisdiction,
    prefix: prefixOf(jurisdiction),
    ...(me.role === 'liaison' ? { liaison: me.username } : {}),
    serviceYear,
  });
  const [firms, people, mentors] = await Promise.all([
    enterpriseViews(pairings.map((p) => p.uscc)),
    userProfiles(pairings.flatMap((p) => (p.contactLeader ? [p.liaison, p.contactLeader] : [p.liaison]))),
    mentorNames(me, pairings),
  ]);
  const nameOfFirm = (uscc: string) => firms.get(uscc)?.name ?? '';
  const person = (username: string) => people.get(username);
  return pairings
    .sort((a, b) => a.county.localeCompare(b.county) || nameOfFirm(a.uscc).localeCompare(nameOfFirm(b.uscc), 'zh'))
    .map((p, i) => [
      i + 1,
      nameOf(p.county),
      nameOfFirm(p.uscc),
      p.uscc,
      sizeWord(firms.get(p.uscc)?.size),
      person(p.liaison)?.displayName ?? p.liaison,
      p.liaison,
      person(p.liaison)?.mobile ?? '',
      p.contactLeader ? (person(p.contactLeader)?.displayName ?? p.contactLeader) : '',
      p.serviceYear,
      p.startsOn,
      STATUS_WORDS[p.status] ?? p.status,
      beijingTime(p.lastQualifyingContactAt),
      p.mentorUscc ? (mentors.get(p.mentorUscc) ?? p.mentorUscc) : '',
      firmTypesText(firms.get(p.uscc)?.types),
    ]);
};
