import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../shared/config.ts';
import { EVIDENCE_TYPES, type EvidenceInput } from '../../../shared/evidence.ts';
import { keys } from '../../../shared/keys.ts';
import type { EvidenceRef } from '../../../shared/pairing-views.ts';
import { ValidationError } from '../http/errors.ts';
import type { Identity } from '../http/identity.ts';
import { s3 } from './s3.ts';
import { batchGet, db, env, fromItem, getRecord, tableName } from './table.ts';

/** Where attached evidence lives: out of reach of the lifecycle rule that empties `unattached/`. */
export const ATTACHED_PREFIX = 'evidence/';

export interface EvidenceRecord extends EvidenceInput {
  evidenceId: string;
  key: string;
  jurisdiction: string;
  uploadedBy: string;
  createdAt: string;
  attachedTo?: string;
}

/**
 * Records a file about to be uploaded, not attached to anything yet, under an object key the caller
 * made (never from the file name). The Put is conditional: an evidence id is never written twice.
 */
export const recordUpload = async (
  evidenceId: string,
  key: string,
  input: EvidenceInput,
  identity: Pick<Identity, 'username' | 'jurisdiction'>,
) => {
  await db().send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...keys.evidence(evidenceId),
        type: 'evidence',
        evidenceId,
        key,
        ...input,
        jurisdiction: identity.jurisdiction,
        uploadedBy: identity.username,
        createdAt: new Date().toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** The record of one uploaded file, if there is one. */
export const getEvidenceRecord = (evidenceId: string) => getRecord<EvidenceRecord>(keys.evidence(evidenceId));

/** What a contact (or later a check-up answer, a ledger move) keeps of each file it carries. */
export type { EvidenceRef } from '../../../shared/pairing-views.ts';

/**
 * Prepares attaching uploaded files to a record (`attachedTo`, e.g. `contact:<id>`): each file must
 * be one the caller uploaded, not attached yet, and in the bucket. The object is copied out of
 * `unattached/` first (so it survives the one-day rule; the old copy expires by itself), then the
 * caller's transaction runs the returned updates, which move each record to its new key only if it
 * is still unattached. A failed transaction leaves an extra copy, never a lost file.
 */
export const prepareAttachment = async (
  evidenceIds: readonly string[],
  target: { attachedTo: string; jurisdiction: string },
  identity: Pick<Identity, 'username'>,
) => {
  if (evidenceIds.length === 0) return { refs: [] as EvidenceRef[], updates: [] };
  const records = new Map(
    (await batchGet(evidenceIds.map((id) => keys.evidence(id)))).map((item) => {
      const record = fromItem<EvidenceRecord>(item);
      return [record.evidenceId, record];
    }),
  );
  const fields: Record<string, string> = {};
  // A file already attached to this very record (sent again by an autosave) is kept as it is.
  const here = (record: EvidenceRecord | undefined) => record?.attachedTo === target.attachedTo;
  evidenceIds.forEach((id, i) => {
    const record = records.get(id);
    if (here(record)) return;
    if (!record || record.uploadedBy !== identity.username) fields[`evidenceIds.${i}`] = 'No such upload of yours';
    else if (record.attachedTo) fields[`evidenceIds.${i}`] = 'This file is attached to another record already';
  });
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const { client, sdk } = await s3();
  const bucket = env(ENV.bucketName);
  const moved = await Promise.all(
    evidenceIds.map(async (id, i) => {
      const record = records.get(id) as EvidenceRecord;
      const key = `${ATTACHED_PREFIX}${id}.${EVIDENCE_TYPES[record.contentType]}`;
      if (record.key !== key) {
        try {
          await client.send(
            new sdk.CopyObjectCommand({ Bucket: bucket, CopySource: `${bucket}/${record.key}`, Key: key }),
          );
        } catch (error) {
          const name = (error as { name?: string }).name;
          if (name === 'NoSuchKey' || name === 'NotFound') return { i, missing: true as const };
          throw error;
        }
      }
      return { i, record, key };
    }),
  );
  const missing = moved.filter((m) => 'missing' in m);
  if (missing.length > 0) {
    throw new ValidationError(
      Object.fromEntries(missing.map((m) => [`evidenceIds.${m.i}`, 'The file was not uploaded (or its link expired)'])),
    );
  }
  const refs: EvidenceRef[] = [];
  const updates = moved.flatMap((m) => {
    if (!('record' in m) || !m.record) return [];
    refs.push({ evidenceId: m.record.evidenceId, fileName: m.record.fileName, contentType: m.record.contentType });
    if (here(m.record)) return [];
    return [
      {
        Update: {
          TableName: tableName(),
          Key: keys.evidence(m.record.evidenceId),
          // Whoever may see the record may see its files: the file takes the record's jurisdiction.
          UpdateExpression: 'SET #key = :key, attachedTo = :to, jurisdiction = :j',
          ConditionExpression: 'attribute_not_exists(attachedTo) AND uploadedBy = :me',
          ExpressionAttributeNames: { '#key': 'key' },
          ExpressionAttributeValues: {
            ':key': m.key,
            ':to': target.attachedTo,
            ':j': target.jurisdiction,
            ':me': identity.username,
          },
        },
      },
    ];
  });
  return { refs, updates };
};
