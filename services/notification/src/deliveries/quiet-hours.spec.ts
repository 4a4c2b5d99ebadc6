import { backoffMs } from './backoff';
import { complainantAddress } from './plan-notifications';
import { quietUntil } from './quiet-hours';

const night = { start: '22:00', end: '08:00' };

describe('quiet hours (SMS to complainants waits, SPEC §7)', () => {
  it('is outside quiet hours in the day', () => {
    expect(quietUntil(new Date('2026-11-23T06:00:00Z'), night, 'Asia/Shanghai')).toBeNull(); // 14:00
    expect(quietUntil(new Date('2026-11-23T13:59:00Z'), night, 'Asia/Shanghai')).toBeNull(); // 21:59
  });
  it('waits from 22:00 until 08:00 the next morning, local time', () => {
    expect(quietUntil(new Date('2026-11-23T14:00:00Z'), night, 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-11-24T00:00:00.000Z',
    );
  });
  it('waits after midnight until 08:00 the same morning', () => {
    expect(quietUntil(new Date('2026-11-23T19:30:00Z'), night, 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-11-24T00:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-11-24T00:00:00Z'), night, 'Asia/Shanghai')).toBeNull(); // 08:00 sharp
  });
  it('handles a quiet period within one day and a zone with daylight saving', () => {
    expect(quietUntil(new Date('2026-07-01T12:30:00Z'), { start: '12:00', end: '14:00' }, 'UTC')?.toISOString()).toBe(
      '2026-07-01T14:00:00.000Z',
    );
    // London, summer (UTC+1): 23:30 local is 22:30Z; quiet ends 08:00 local = 07:00Z.
    expect(quietUntil(new Date('2026-07-01T22:30:00Z'), night, 'Europe/London')?.toISOString()).toBe(
      '2026-07-02T07:00:00.000Z',
    );
  });
});

describe('backoff', () => {
  it('doubles up to the cap, with half of each step random', () => {
    expect(backoffMs(1, 30_000, 3_600_000, 0)).toBe(15_000);
    expect(backoffMs(1, 30_000, 3_600_000, 0.999)).toBeCloseTo(29_985, -2);
    expect(backoffMs(3, 30_000, 3_600_000, 0.5)).toBe(90_000);
    expect(backoffMs(20, 30_000, 3_600_000, 1)).toBe(3_600_000);
  });
});

describe('complainant contact', () => {
  it('reaches a mobile number by SMS, an address by email, an openid by WeChat', () => {
    expect(complainantAddress('138 0013 8000')).toEqual({ channel: 'sms', to: '+8613800138000' });
    expect(complainantAddress('+85291234567')).toEqual({ channel: 'sms', to: '+85291234567' });
    expect(complainantAddress('zhang@example.com')).toEqual({ channel: 'email', to: 'zhang@example.com' });
    expect(complainantAddress('wechat:oAbc123')).toEqual({ channel: 'wechat', to: 'oAbc123' });
    expect(complainantAddress('前台转告')).toBeUndefined();
  });
});
