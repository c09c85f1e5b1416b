import { createApi } from '../lib/http/handler.ts';
import { createFirmBooking } from './bookings.ts';
import { getFirmMe } from './me.ts';
import { rateFirmLedgerItem } from './ratings.ts';
import { createFirmEvidence, createFirmRequest, getFirmCheckupReport } from './requests.ts';
import {
  createCheckupRequest,
  createSelfInspection,
  getSelfInspectionTemplate,
  listSelfInspectionsRoute,
} from './self-inspection.ts';

/** The firm API (`/api/firm/…`): firm tokens only (functions/lib/http/identity.ts, readFirmIdentity). */
export const handler = createApi('firm', {
  'firmMe.get': getFirmMe,
  'firmBookings.create': createFirmBooking,
  'firmRequests.create': createFirmRequest,
  'firmEvidence.create': createFirmEvidence,
  'firmCheckups.report': getFirmCheckupReport,
  'selfInspections.template': getSelfInspectionTemplate,
  'selfInspections.create': createSelfInspection,
  'selfInspections.list': listSelfInspectionsRoute,
  'checkupRequests.create': createCheckupRequest,
  'firmRatings.create': rateFirmLedgerItem,
});
