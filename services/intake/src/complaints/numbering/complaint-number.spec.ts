import { formatComplaintNumber, localDay } from './complaint-number';

describe('complaint numbers', () => {
  it('uses the property-local day, not the UTC day', () => {
    // 2026-11-23 17:30 UTC is already 24 Nov in Shanghai (UTC+8) but still 23 Nov in New York.
    const at = new Date('2026-11-23T17:30:00Z');
    expect(localDay(at, 'Asia/Shanghai')).toBe('20261124');
    expect(localDay(at, 'America/New_York')).toBe('20261123');
  });

  it('pads the sequence and keeps large ones whole', () => {
    expect(formatComplaintNumber('SHM01', '20261123', 7)).toBe('SHM01-20261123-0007');
    expect(formatComplaintNumber('SHM01', '20261123', 12345)).toBe('SHM01-20261123-12345');
  });

  it('rejects a sequence that is not a positive integer', () => {
    expect(() => formatComplaintNumber('SHM01', '20261123', 0)).toThrow(RangeError);
    expect(() => formatComplaintNumber('SHM01', '20261123', 1.5)).toThrow(RangeError);
  });
});
