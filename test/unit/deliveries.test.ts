import { describe, expect, it } from 'vitest';
import { type Delivery, publicDeliveries } from '../../functions/lib/messaging/deliveries.ts';

describe('deliveries as they leave the record', () => {
  it("an SMS delivery shows its kind, never its text or parameters (they carry the booking's bearer code)", () => {
    // Prepare
    const code = 'ABCDEFGHJKLMNPQRSTUV';
    const sms: Delivery = {
      channel: 'sms',
      to: '13912345678',
      sms: { kind: 'booking-reminder', params: { code }, text: `预约码 ${code}` },
      status: 'sent',
      attempts: 1,
    };

    // Act
    const [shown] = publicDeliveries([sms]);

    // Assess
    expect(shown).toEqual({ channel: 'sms', to: '13912345678', kind: 'booking-reminder', status: 'sent', attempts: 1 });
    expect(JSON.stringify(shown)).not.toContain(code);
  });
});
