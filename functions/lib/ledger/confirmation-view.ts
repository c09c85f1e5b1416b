import { ENV } from '../../../shared/config.ts';
import { PRESIGN_SECONDS } from '../../../shared/evidence.ts';
import { keys } from '../../../shared/keys.ts';
import type { ConfirmationFinding, ConfirmationPhoto, ConfirmationView } from '../../../shared/ledger.ts';
import { shanghaiDate } from '../../../shared/time.ts';
import type { EvidenceRecord } from '../store/evidence.ts';
import { s3 } from '../store/s3.ts';
import { batchGet, env, fromItem } from '../store/table.ts';
import { getCheckup, getTemplate } from './checkups.ts';
import type { LedgerItem } from './ledger.ts';

/**
 * What a firm sees behind its confirmation link (public, the token is the only key): the finding the
 * item is about, how it was resolved, and the photos staff attached to the resolve. Nothing else of
 * the item leaves (no holder, owner, staff names or history).
 *
 * A check-up item's title is the standard's wording ("环评批复和竣工环保验收手续齐全"), which reads as
 * if the firm had raised it; the firm is shown instead what the check-up found: the day of the
 * check-up, the category of the failed item, and the inspector's note on the failed answer.
 */

/** Photos shown at most (a resolve carries up to 10 files). */
const MAX_PHOTOS = 6;

/** The check-up answer a check-up item came from (`sourceRef` = `<checkupId>:<template item id>`). */
const checkupFinding = async (item: LedgerItem): Promise<ConfirmationFinding> => {
  const [checkupId, templateItemId] = (item.sourceRef ?? '').split(':');
  const checkup = checkupId ? await getCheckup(checkupId) : undefined;
  // Only the firm's own check-up (the reference is a string on the item; the check-up must agree).
  if (!checkup || checkup.uscc !== item.uscc || !templateItemId)
    return { kind: 'checkup', checkedOn: null, category: null, note: null };
  const template = await getTemplate(checkup.templateVersion);
  const answer = checkup.answers[templateItemId];
  return {
    kind: 'checkup',
    checkedOn: shanghaiDate(new Date(checkup.at)),
    category: template?.items.find((i) => i.itemId === templateItemId)?.category ?? null,
    note: answer?.result === 'fail' && answer.note ? answer.note : null,
  };
};

/**
 * Presigned GETs of the resolve's photos: only files whose record says they are attached to this
 * item (a ref on the item is not trusted alone) and are images.
 */
const resolvePhotos = async (item: LedgerItem): Promise<ConfirmationPhoto[]> => {
  const resolve = item.lastMove ?? item.history?.at(-1);
  const refs = (resolve?.evidence ?? []).filter((r) => r.contentType.startsWith('image/')).slice(0, MAX_PHOTOS);
  if (refs.length === 0) return [];
  const records = (await batchGet(refs.map((r) => keys.evidence(r.evidenceId))))
    .map((r) => fromItem<EvidenceRecord>(r))
    .filter((r) => r.attachedTo === `ledger:${item.itemId}` && r.contentType.startsWith('image/'));
  if (records.length === 0) return [];
  const { client, sdk, presign } = await s3();
  const bucket = env(ENV.bucketName);
  return Promise.all(
    refs.flatMap((ref) => {
      const record = records.find((r) => r.evidenceId === ref.evidenceId);
      if (!record) return [];
      const get = new sdk.GetObjectCommand({ Bucket: bucket, Key: record.key });
      return [presign(client, get, { expiresIn: PRESIGN_SECONDS }).then((url) => ({ fileName: record.fileName, url }))];
    }),
  );
};

/** The confirmation page's view of a resolved item. */
export const confirmationView = async (item: LedgerItem): Promise<ConfirmationView> => {
  // The resolve the link is for is the item's newest move (older items kept theirs in `history`).
  const resolved = item.lastMove ?? item.history?.at(-1);
  const fromCheckup = item.source === 'checkup';
  const [finding, photos] = await Promise.all([
    fromCheckup ? checkupFinding(item) : Promise.resolve(null),
    resolvePhotos(item),
  ]);
  return {
    source: item.source,
    // A check-up item's title and detail are the standard's wording: the finding stands for them.
    title: fromCheckup ? null : item.title,
    detail: fromCheckup ? null : item.detail,
    finding,
    firmName: item.firmName,
    resolvedAt: resolved?.at ?? null,
    resolution: resolved?.note ?? null,
    photos,
  };
};
