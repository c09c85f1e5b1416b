import { createApi } from '../lib/http/handler.ts';
import { listPublicCases } from './cases.ts';
import {
  cancelPublicBooking,
  createBooking,
  getBookingCalendar,
  getPublicBooking,
  listPublicDays,
  reschedulePublicBooking,
  resendBookingCode,
  startBookingRecovery,
  verifyBooking,
  verifyBookingRecovery,
} from './consultation.ts';
import { firmIssuerDiscovery, firmIssuerKeys, startSignIn, verifySignIn } from './firm-sign-in.ts';
import { getHealth } from './health.ts';
import { answerConfirmationRoute, getConfirmation, rateConfirmationRoute } from './ledger.ts';

export const handler = createApi('public', {
  'health.get': getHealth,
  'publicDays.list': listPublicDays,
  'bookings.create': createBooking,
  'bookings.get': getPublicBooking,
  'bookings.cancel': cancelPublicBooking,
  'bookings.calendar': getBookingCalendar,
  'bookings.verify': verifyBooking,
  'bookings.resendCode': resendBookingCode,
  'bookings.reschedule': reschedulePublicBooking,
  'bookingRecovery.start': startBookingRecovery,
  'bookingRecovery.verify': verifyBookingRecovery,
  'confirmations.get': getConfirmation,
  'confirmations.answer': answerConfirmationRoute,
  'confirmations.rate': rateConfirmationRoute,
  'firmSignIn.start': startSignIn,
  'firmSignIn.verify': verifySignIn,
  'firmIssuer.discovery': firmIssuerDiscovery,
  'firmIssuer.jwks': firmIssuerKeys,
  'publicCases.list': listPublicCases,
});
