import { createApi } from '../lib/http.ts';
import {
  createConsultationDay,
  exportDayBookings,
  getConsultationDay,
  listConsultationDays,
  listDayBookings,
  recordAttendance,
} from './consultation-days.ts';
import { getMe } from './me.ts';

export const handler = createApi('staff', {
  'me.get': getMe,
  'days.create': createConsultationDay,
  'days.list': listConsultationDays,
  'days.get': getConsultationDay,
  'days.bookings': listDayBookings,
  'days.bookingsCsv': exportDayBookings,
  'bookings.attendance': recordAttendance,
});
