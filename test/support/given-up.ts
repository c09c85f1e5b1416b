import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from '../../functions/lib/store/table.ts';
import { keys } from '../../shared/keys.ts';

/**
 * A message whose e-mail was given up (its text went out), as the deliveries function leaves one
 * after its last try: for the pages and files that read given-up messages, whose rounds are tried
 * in delivery-board.test.ts. Into the handlers' table (set by the runtime or useFunctions), or a
 * started product's (`productTable`).
 */
export const givenUpMessage = async (
  jurisdiction: string,
  email = 'wang@example.test',
  into?: { doc: DynamoDBDocumentClient; name: string },
) => {
  const id = { about: `booking:T${randomUUID().slice(0, 8).toUpperCase()}`, kind: 'confirmed', occasion: '' };
  const createdAt = new Date().toISOString();
  await (into?.doc ?? db()).send(
    new PutCommand({
      TableName: into?.name ?? tableName(),
      Item: {
        ...keys.message(id),
        ...keys.messageScope({ ...id, jurisdiction, status: 'failed', createdAt }),
        type: 'message',
        messageId: randomUUID(),
        ...id,
        jurisdiction,
        createdAt,
        subject: '预约成功',
        text: '您的预约已确认',
        deliveries: [
          { channel: 'email', to: email, status: 'failed', attempts: 24, lastError: 'MessageRejected' },
          { channel: 'sms', to: '13812345678', status: 'sent', attempts: 1 },
        ],
        expiresAt: Math.floor(Date.now() / 1000) + 86_400,
      },
    }),
  );
  return { ...id, createdAt };
};
