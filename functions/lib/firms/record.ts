import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Checkup, CheckupTemplate } from '../../../shared/checkups.ts';
import { ENV } from '../../../shared/config.ts';
import { PRESIGN_SECONDS } from '../../../shared/evidence.ts';
import type {
  FirmBooking,
  FirmCheckup,
  FirmCheckupReport,
  FirmLedgerItem,
  FirmLiaison,
  FirmMove,
  FirmRecord,
  Newest,
} from '../../../shared/firm-record.ts';
import { names } from '../../../shared/jurisdictions.ts';
import { keys } from '../../../shared/keys.ts';
import type { Pairing } from '../../../shared/pairing-views.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import type { Booking } from '../consultation/bookings.ts';
import { getEnterprise } from '../enterprises/enterprises.ts';
import { NotFoundError } from '../http/errors.ts';
import { getCheckup, requireTemplate } from '../ledger/checkups.ts';
import { historyOf, type LedgerItem } from '../ledger/ledger.ts';
import { ratingOf } from '../ledger/ratings.ts';
import { eachLimit } from '../store/concurrency.ts';
import { getEvidenceRecord } from '../store/evidence.ts';
import { s3 } from '../store/s3.ts';
import { batchGet, db, env, fromItem, tableName } from '../store/table.ts';

/**
 * 一企一档: what a signed-in firm reads of itself (`GET /api/firm/me`). Every read is keyed by the
 * token's USCC alone (a firm's partitions `ENT#`, `PAIRGUARD#`, `FIRMLEDGER#`, `FIRMBOOKINGS#`), and
 * every record found is checked to name that USCC again before it is shown, so no request can reach
 * another firm's data. Only what the firm may see leaves: no staff usernames, holders or audit.
 */

/** The newest ledger items and bookings shown; `more` says when older ones exist. */
export const RECORD_ITEMS = 100;
/** Histories read at once (one Query each, of the item's own partition). */
const HISTORIES_AT_ONCE = 8;

/**
 * The firm's liaisons: the pairings its guards name (one per service year while active or paused;
 * this year's and last year's, as a pairing may outlive its year), kept when active, with the
 * liaison's display name and mobile from the staff account. Three BatchGets, no Query.
 */
const liaisonsOf = async (uscc: string, now: Date): Promise<FirmLiaison[]> => {
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const guards = await batchGet([keys.pairingGuard(uscc, year), keys.pairingGuard(uscc, year - 1)]);
  const ids = guards.map((g) => g.pairingId).filter((id): id is string => typeof id === 'string' && id !== '');
  const pairings = (await batchGet(ids.map((id) => keys.pairing(id))))
    .map((p) => fromItem<Pairing>(p))
    // A pairing the year roll-over ended keeps its status until its end day: from that day it is over.
    .filter((p) => p.uscc === uscc && p.status === 'active' && (p.endedOn === null || p.endedOn > today));
  const users = new Map(
    (await batchGet([...new Set(pairings.map((p) => p.liaison))].map((u) => keys.user(u)))).map((u) => [
      String(u.username),
      u,
    ]),
  );
  const seen = new Set<string>();
  const out: FirmLiaison[] = [];
  for (const p of pairings.sort((a, b) => b.startsOn.localeCompare(a.startsOn))) {
    if (seen.has(p.liaison)) continue;
    seen.add(p.liaison);
    const user = users.get(p.liaison);
    const enabled = user?.enabled !== false;
    out.push({
      displayName: typeof user?.displayName === 'string' ? user.displayName : p.liaison,
      mobile: enabled && typeof user?.mobile === 'string' ? user.mobile : null,
      since: p.startsOn,
    });
  }
  return out;
};

/** The newest items of one of the firm's collections (an index partition), and whether older ones exist. */
const newest = async (
  index: 'byParent' | 'byScope',
  partition: string,
): Promise<{ items: Record<string, unknown>[]; more: boolean }> => {
  const pk = index === 'byParent' ? 'parentPk' : 'scopePk';
  const out = await db().send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: index,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': pk },
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      Limit: RECORD_ITEMS,
    }),
  );
  return { items: out.Items ?? [], more: Boolean(out.LastEvaluatedKey) };
};

/** The firm's ledger items, open and closed, newest first, each with its moves and their notes. */
const ledgerOf = async (uscc: string): Promise<Newest<FirmLedgerItem>> => {
  const { items, more } = await newest('byParent', keys.ledgersOfFirm(uscc).parentPk);
  const own = items.map((i) => fromItem<LedgerItem>(i)).filter((i) => i.uscc === uscc);
  const views = new Map<string, FirmLedgerItem>();
  await eachLimit(own, HISTORIES_AT_ONCE, async (item) => {
    const { history } = await historyOf(item);
    const moves: FirmMove[] = history.map(({ at, from, to, note }) => ({ at, from, to, note }));
    views.set(item.itemId, {
      itemId: item.itemId,
      title: item.title,
      detail: item.detail,
      state: item.state,
      source: item.source,
      dueOn: item.dueOn,
      // A firm's own request is promised a take-up by this day (functions/lib/firms/requests.ts).
      takeUpBy: (item as LedgerItem & { takeUpBy?: string }).takeUpBy ?? null,
      createdAt: item.createdAt,
      closedAt: item.closedAt ?? null,
      // 好差评: the firm's own rating of a closed item (stars, comment, at), null until it rates.
      rating: ratingOf(item),
      history: moves,
    });
  });
  return { items: own.flatMap((i) => views.get(i.itemId) ?? []), more };
};

/** The firm's bookings (the byScope index by USCC, the firm's timeline's), newest slot first. */
const bookingsOf = async (uscc: string): Promise<Newest<FirmBooking>> => {
  const { items, more } = await newest('byScope', keys.bookingsOfFirm(uscc).scopePk);
  const own = items.map((i) => fromItem<Booking>(i)).filter((b) => b.uscc === uscc);
  return {
    // The code is the booking's key to its page, .ics and cancel: this firm proved the USCC with
    // its roster mobile, which is what the booking recovery asks too.
    items: own.map((b) => ({
      code: b.code,
      dayId: b.dayId,
      slotId: b.slotId,
      startsAt: b.startsAt,
      status: b.status,
      topic: b.topic,
      outcome: b.outcome ?? null,
      createdAt: b.createdAt,
    })),
    more,
  };
};

/**
 * The firm's submitted check-ups (byParent `FIRMCHECKUPS#`), newest first: a draft is the inspectors'
 * work in progress and stays theirs until it is submitted.
 */
const checkupsOf = async (uscc: string): Promise<Newest<FirmCheckup>> => {
  const { items, more } = await newest('byParent', keys.checkupsOfFirm(uscc).parentPk);
  const own = items.map((i) => fromItem<Checkup>(i)).filter((c) => c.uscc === uscc && c.state !== 'draft');
  return {
    items: own.map((c) => ({
      checkupId: c.checkupId,
      at: c.at,
      state: c.state,
      score: c.score,
      band: c.band,
      submittedAt: c.submittedAt ?? null,
    })),
    more,
  };
};

/**
 * The representative's signature on a report: who signed, when, and a presigned GET of the image
 * (PRESIGN_SECONDS long), only when the file's record says it is this check-up's signature and an
 * image (the ref on the check-up is not trusted alone). Null for a check-up submitted without one.
 */
const signatureOf = async (checkup: Checkup) => {
  const signature = checkup.signature;
  if (!signature) return null;
  const record = await getEvidenceRecord(signature.evidenceId);
  let imageUrl: string | null = null;
  if (record?.attachedTo === `checkup-signature:${checkup.checkupId}` && record.contentType.startsWith('image/')) {
    const { client, sdk, presign } = await s3();
    const get = new sdk.GetObjectCommand({ Bucket: env(ENV.bucketName), Key: record.key });
    imageUrl = await presign(client, get, { expiresIn: PRESIGN_SECONDS });
  }
  return { signerName: signature.signerName, signedAt: signature.signedAt, imageUrl };
};

/**
 * One check-up report of the firm `uscc` (`GET /api/firm/checkups/{id}/report`): 404 unless the
 * check-up is this firm's and submitted, the same answer as for an id that does not exist. What
 * leaves: the date, inspectors, score, band, every answer with its note and the template's wording;
 * not the staff account that started it, nor the ids of the files (the firm has no evidence route
 * for staff files); the representative's signature with a short-lived link to its image.
 */
export const firmCheckupReport = async (uscc: string, checkupId: string): Promise<FirmCheckupReport> => {
  const checkup = await getCheckup(checkupId);
  if (!checkup || checkup.uscc !== uscc || checkup.state === 'draft') throw new NotFoundError();
  const template: CheckupTemplate = await requireTemplate(checkup.templateVersion);
  return {
    checkup: {
      checkupId: checkup.checkupId,
      firmName: checkup.firmName,
      at: checkup.at,
      inspectors: checkup.inspectors,
      state: checkup.state,
      score: checkup.score,
      band: checkup.band,
      submittedAt: checkup.submittedAt ?? null,
      answers: Object.fromEntries(
        Object.entries(checkup.answers).map(([id, a]) => [id, { result: a.result, note: a.note ?? null }]),
      ),
      ledgerItemIds: checkup.ledgerItemIds,
      signature: await signatureOf(checkup),
    },
    template,
  };
};

/** The record of the firm `uscc` (the token's); 404 when the roster no longer has it. */
export const firmRecord = async (uscc: string, now: Date): Promise<FirmRecord> => {
  const [enterprise, liaisons, ledger, bookings, checkups] = await Promise.all([
    getEnterprise(uscc),
    liaisonsOf(uscc, now),
    ledgerOf(uscc),
    bookingsOf(uscc),
    checkupsOf(uscc),
  ]);
  if (!enterprise || enterprise.uscc !== uscc) throw new NotFoundError();
  const county = enterprise.county;
  return {
    firm: {
      uscc,
      name: enterprise.name,
      county: { code: county, name: names[county] ?? { zh: county, en: county } },
      address: enterprise.address,
      industry: enterprise.industry,
      size: enterprise.size,
      tier: enterprise.tier,
      status: enterprise.status,
    },
    liaisons,
    ledger,
    bookings,
    checkups,
  };
};
