import { createApi } from '../lib/http/handler.ts';
import { getFirmMe } from './me.ts';
import { rateFirmLedgerItem } from './ratings.ts';

/** The firm API (`/api/firm/…`): firm tokens only (functions/lib/http/identity.ts, readFirmIdentity). */
export const handler = createApi('firm', {
  'firmMe.get': getFirmMe,
  'firmRatings.create': rateFirmLedgerItem,
});
