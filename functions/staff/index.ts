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
  enterpriseTimelineRoute,
  exportEnterprisesRoute,
  getEnterpriseRoute,
  importEnterprisesRoute,
  importTemplateRoute,
  listEnterprisesRoute,
  updateEnterpriseRoute,
} from './enterprises.ts';
import { createEvidence, getEvidence } from './evidence.ts';
import { getMe } from './me.ts';
import {
  createPairingRoute,
  endPairingRoute,
  exportPairingsRoute,
  listContactsRoute,
  listPairingsRoute,
  logContactRoute,
  pausePairingRoute,
  reassignPairingRoute,
  resumePairingRoute,
} from './pairings.ts';
import { createUser, listUsers } from './users.ts';

export const handler = createApi('staff', {
  'me.get': getMe,
  'evidence.create': createEvidence,
  'evidence.get': getEvidence,
  'users.list': listUsers,
  'users.create': createUser,
  'audit.list': listAudit,
  'enterprises.list': listEnterprisesRoute,
  'enterprises.create': createEnterpriseRoute,
  'enterprises.get': getEnterpriseRoute,
  'enterprises.update': updateEnterpriseRoute,
  'enterprises.import': importEnterprisesRoute,
  'enterprises.importTemplate': importTemplateRoute,
  'enterprises.export': exportEnterprisesRoute,
  'enterprises.timeline': enterpriseTimelineRoute,
  'pairings.create': createPairingRoute,
  'pairings.list': listPairingsRoute,
  'pairings.reassign': reassignPairingRoute,
  'pairings.pause': pausePairingRoute,
  'pairings.resume': resumePairingRoute,
  'pairings.end': endPairingRoute,
  'pairings.export': exportPairingsRoute,
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
