import { createApi } from '../lib/http.ts';
import {
  cancelConsultationDay,
  createConsultationDay,
  exportDayBookings,
  getConsultationDay,
  listConsultationDays,
  listDayBookings,
  recordAttendance,
  updateConsultationDay,
} from './consultation-days.ts';
import { getMe } from './me.ts';

export const handler = createApi('staff', {
  'me.get': getMe,
  'days.create': createConsultationDay,
  'days.list': listConsultationDays,
  'days.get': getConsultationDay,
  'days.update': updateConsultationDay,
  'days.cancel': cancelConsultationDay,
  'days.bookings': listDayBookings,
  'days.bookingsCsv': exportDayBookings,
  'bookings.attendance': recordAttendance,
});
