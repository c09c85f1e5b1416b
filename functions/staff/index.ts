import { createApi } from '../lib/http.ts';
import { listAudit } from './audit.ts';
import {
  cancelConsultationDay,
  createConsultationDay,
  exportDayBookingsCsv,
  exportDayBookingsXlsx,
  getConsultationDay,
  listConsultationDays,
  listDayBookings,
  recordAttendance,
  updateConsultationDay,
} from './consultation-days.ts';
import {
  createEnterpriseRoute,
  getEnterpriseRoute,
  listEnterprisesRoute,
  updateEnterpriseRoute,
} from './enterprises.ts';
import { createEvidence, getEvidence } from './evidence.ts';
import { getMe } from './me.ts';
import {
  createPairingRoute,
  endPairingRoute,
  listContactsRoute,
  listPairingsRoute,
  logContactRoute,
  pausePairingRoute,
  reassignPairingRoute,
  resumePairingRoute,
} from './pairings.ts';
import { listUsers } from './users.ts';

export const handler = createApi('staff', {
  'me.get': getMe,
  'evidence.create': createEvidence,
  'evidence.get': getEvidence,
  'users.list': listUsers,
  'audit.list': listAudit,
  'enterprises.list': listEnterprisesRoute,
  'enterprises.create': createEnterpriseRoute,
  'enterprises.get': getEnterpriseRoute,
  'enterprises.update': updateEnterpriseRoute,
  'pairings.create': createPairingRoute,
  'pairings.list': listPairingsRoute,
  'pairings.reassign': reassignPairingRoute,
  'pairings.pause': pausePairingRoute,
  'pairings.resume': resumePairingRoute,
  'pairings.end': endPairingRoute,
  'contacts.create': logContactRoute,
  'contacts.list': listContactsRoute,
  'days.create': createConsultationDay,
  'days.list': listConsultationDays,
  'days.get': getConsultationDay,
  'days.update': updateConsultationDay,
  'days.cancel': cancelConsultationDay,
  'days.bookings': listDayBookings,
  'days.bookingsCsv': exportDayBookingsCsv,
  'days.bookingsXlsx': exportDayBookingsXlsx,
  'bookings.attendance': recordAttendance,
});
