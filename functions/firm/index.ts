import { createApi } from '../lib/http/handler.ts';
import { getFirmMe } from './me.ts';
import { createFirmEvidence, createFirmRequest, getFirmCheckupReport } from './requests.ts';

/** The firm API (`/api/firm/…`): firm tokens only (functions/lib/http/identity.ts, readFirmIdentity). */
export const handler = createApi('firm', {
  'firmMe.get': getFirmMe,
  'firmRequests.create': createFirmRequest,
  'firmEvidence.create': createFirmEvidence,
  'firmCheckups.report': getFirmCheckupReport,
});
