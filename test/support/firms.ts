import { expect } from 'vitest';

/**
 * Request bodies many tests send as they are: a firm's registration and the smallest check-up
 * template. A test gives what its assertions read (`fields`), the rest stays as here.
 */

/** A firm's registration: a small county-tier firm of Wuzhong with one contact, `fields` over it. */
export const firmInput = (uscc: string, fields: Record<string, unknown> = {}) => ({
  uscc,
  name: '测试企业',
  county: '320506',
  address: '某路 1 号',
  industry: '印染',
  size: 'small',
  tier: 'county',
  contacts: [{ name: '张三', mobile: '13800000000' }],
  ...fields,
});

/** A template of one management item (`POST /api/staff/checkup-templates`), a new version over the default. */
export const oneItemTemplate = {
  thresholds: { green: 85, yellow: 60 },
  items: [
    {
      itemId: 'M1',
      category: 'management',
      text: { zh: '制度健全', en: 'Rules in place' },
      weight: 10,
      failSeverity: 'low',
    },
  ],
};

type Caller = (
  method: string,
  path: string,
  who: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> | null }>;

/**
 * A firm registered by lead.wuzhong (`firmInput` with `fields`) and paired with liaison.wuzhong from
 * `startsOn` for that year, as the lead would through the API: the pairing's id.
 */
export const pairedWuzhongFirm = async (
  call: Caller,
  uscc: string,
  fields: Record<string, unknown>,
  startsOn = '2026-01-01',
) => {
  const created = await call('POST', '/api/staff/enterprises', 'lead.wuzhong', firmInput(uscc, fields));
  expect(created.status).toBe(201);
  const paired = await call('POST', '/api/staff/pairings', 'lead.wuzhong', {
    uscc,
    liaison: 'liaison.wuzhong',
    serviceYear: Number(startsOn.slice(0, 4)),
    startsOn,
  });
  expect(paired.status).toBe(201);
  return (paired.body?.pairing as { pairingId: string } | undefined)?.pairingId ?? '';
};
