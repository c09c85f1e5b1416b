import { createApi } from '../lib/http/handler.ts';
import { createFirmBooking } from './bookings.ts';
import { getFirmMe } from './me.ts';

/** The firm API (`/api/firm/…`): firm tokens only (functions/lib/http/identity.ts, readFirmIdentity). */
export const handler = createApi('firm', {
  'firmMe.get': getFirmMe,
  'firmBookings.create': createFirmBooking,
});
