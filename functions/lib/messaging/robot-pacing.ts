import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { functions } from '../../../shared/functions.ts';
import { keys } from '../../../shared/keys.ts';
import type { WebhookConfig } from '../../../shared/webhooks.ts';
import { db, tableName } from '../store/table.ts';
import { sendMarkdownToRobot } from './webhooks.ts';

/**
 * Pacing of group-chat robots: WeCom and DingTalk each take at most 20 messages a minute per robot
 * and drop (WeCom: errcode 45009) what comes faster. Time is cut into slots of SLOT_MS and a robot
 * takes at most one post per slot, claimed by a conditional Put in the table, so every run and
 * every Lambda that posts to the same robot shares the same slots. With 3.53 s slots any window of
 * 60 s holds at most 18 posts (⌊60 / 3.53⌋ + 1), under the limit with room for clocks that differ a
 * little. A post waits for a free slot only until its run's deadline; after that it fails with
 * RobotBusyError and stays due for a later delivery round, so nothing is dropped.
 */
const slotMs = () => Number(process.env.ROBOT_SLOT_MS ?? 3530);

/** A post that found no free slot before its run's deadline (delivered by a later round). */
export class RobotBusyError extends Error {
  override readonly name = 'RobotBusyError';
}

/** Until when a run may wait for robots: the jobs function's timeout less a minute to record what it did. */
export const runDeadline = (run: { readonly startedAt: string }) =>
  Date.parse(run.startedAt) + (functions.jobs.timeoutSeconds - 60) * 1000;

/** A robot's name in keys: a hash of its address (the address holds its access key). */
const robotHash = (config: WebhookConfig) => createHash('sha256').update(config.url).digest('hex').slice(0, 32);

const takeSlot = async (robot: string, deadline: number) => {
  for (;;) {
    const now = Date.now();
    if (now > deadline) throw new RobotBusyError('Robot busy: no free slot before the run’s deadline');
    const slot = Math.floor(now / slotMs());
    try {
      await db().send(
        new PutCommand({
          TableName: tableName(),
          Item: { ...keys.robotSlot(robot, slot), type: 'robotSlot', expiresAt: Math.floor(now / 1000) + 3600 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const next = (slot + 1) * slotMs() + Math.floor(Math.random() * 20);
    if (next > deadline) throw new RobotBusyError('Robot busy: no free slot before the run’s deadline');
    await new Promise((r) => setTimeout(r, next - Date.now()));
  }
};

/**
 * Posts of this process queue per robot, so only one of them at a time asks the table for a slot
 * (dozens of parts for one robot would otherwise all contend for every slot).
 */
const queues = new Map<string, Promise<unknown>>();

/** Waits for a slot of the robot (until `deadline`, epoch ms), then posts the markdown message. */
export const sendPacedMarkdown = async (
  config: WebhookConfig,
  markdown: { title: string; text: string },
  deadline: number,
): Promise<string> => {
  const robot = robotHash(config);
  const before = queues.get(robot) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(() => takeSlot(robot, deadline));
  queues.set(robot, mine);
  try {
    await mine;
  } finally {
    if (queues.get(robot) === mine) queues.delete(robot);
  }
  return sendMarkdownToRobot(config, markdown);
};
