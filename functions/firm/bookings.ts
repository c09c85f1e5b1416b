import * as z from 'zod/mini';
import { firmBookingInput } from '../../shared/consultation.ts';
import { publicBookingView } from '../lib/consultation/booking-views.ts';
import { book } from '../lib/consultation/bookings.ts';
import { getEnterprise } from '../lib/enterprises/enterprises.ts';
import { NotFoundError, UnauthenticatedError } from '../lib/http/errors.ts';
import { defineRoute, reply } from '../lib/http/handler.ts';

const dayParams = z.object({ dayId: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a day id')) });

/**
 * POST /api/firm/consultation-days/{dayId}/bookings {"slotId","topic","question","consent",…}: a
 * signed-in firm books for its own USCC, confirmed (or waitlisted on request) at once: its sign-in
 * proved the mobile, so no hold and no code. The USCC, name and contact are the token's and the
 * roster's, never the body's (a strict body: it cannot name another firm).
 */
export const createFirmBooking = defineRoute({
  params: dayParams,
  body: firmBookingInput,
  handler: async ({ firm, params, body }) => {
    if (!firm) throw new UnauthenticatedError();
    const enterprise = await getEnterprise(firm.uscc);
    if (!enterprise) throw new NotFoundError();
    const contact = enterprise.contacts.find((c) => c.mobile === firm.mobile);
    const email = body.email ?? contact?.email;
    const { booking, day, slot } = await book(
      params.dayId,
      {
        slotId: body.slotId,
        uscc: firm.uscc,
        companyName: enterprise.name,
        contactName: contact?.name ?? enterprise.name,
        mobile: firm.mobile,
        ...(email ? { email } : {}),
        topic: body.topic,
        question: body.question,
        consent: true,
        ...(body.waitlist === undefined ? {} : { waitlist: body.waitlist }),
      },
      new Date(),
    );
    const personal = {
      contactName: contact?.name ?? enterprise.name,
      mobile: firm.mobile,
      email: email ?? null,
      question: body.question,
    };
    return reply(201, { booking: publicBookingView(booking, personal, day, slot) });
  },
});
