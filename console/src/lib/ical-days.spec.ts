import { daysFromICalendar, ICalendarError, mergeImportedDays } from './ical-days';

// The shape of the published 中国节假日 calendars: all-day events, DTEND the day after the last,
// make-up working days as their own events; lines folded at 75 octets (RFC 5545 §3.1).
const NOTICE_2027 = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//holidays//CN',
  'BEGIN:VEVENT',
  'UID:2027-newyear@test',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦 假期',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:2027-spring@test',
  'DTSTART;VALUE=DATE:20270206',
  'DTEND;VALUE=DATE:20270214',
  'SUMMARY:春节 假期 共8天，放假安排以国务院办公厅通知为准，本日历仅供测试使',
  ' 用',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:2027-spring-work@test',
  'DTSTART;VALUE=DATE:20270214',
  'SUMMARY:春节 补班',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:2027-apple@test',
  'DTSTART;VALUE=DATE:20270220',
  'DTEND;VALUE=DATE:20270221',
  'SUMMARY:调休',
  'X-APPLE-SPECIAL-DAY:ALTERNATE-WORKDAY',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describe('days from an iCalendar file', () => {
  it('reads all-day holidays up to their end date and make-up working days by their name or Apple’s mark', () => {
    const days = daysFromICalendar(NOTICE_2027);
    expect(days.holidays).toEqual([
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
      '2027-02-11',
      '2027-02-12',
      '2027-02-13',
    ]);
    expect(days.makeUpWorkingDays).toEqual(['2027-02-14', '2027-02-20']);
    expect(days.years).toEqual([2027]);
  });

  it('reads a yearly event for the years ahead and a timed event on its start date', () => {
    const days = daysFromICalendar(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//x//EN',
        'BEGIN:VEVENT',
        'UID:a@test',
        'DTSTART;VALUE=DATE:20280501',
        'DTEND;VALUE=DATE:20280502',
        'RRULE:FREQ=YEARLY;COUNT=3',
        'SUMMARY:Labour Day',
        'END:VEVENT',
        'BEGIN:VEVENT',
        'UID:b@test',
        'DTSTART:20281224T090000',
        'DTEND:20281224T120000',
        'SUMMARY:Christmas Eve (morning)',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n'),
    );
    expect(days.holidays).toEqual(['2028-05-01', '2028-12-24', '2029-05-01', '2030-05-01']);
    expect(days.years).toEqual([2028, 2029, 2030]);
  });

  it('refuses what is no calendar, or one without events, saying so', () => {
    expect(() => daysFromICalendar('2027-01-01,元旦')).toThrow(ICalendarError);
    expect(() =>
      daysFromICalendar(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:x', 'END:VCALENDAR'].join('\r\n')),
    ).toThrow(/no event/);
  });

  it('replaces the file’s years and keeps the others', () => {
    const merged = mergeImportedDays(
      { holidays: ['2026-10-01', '2027-01-05'], makeUpWorkingDays: ['2026-10-10', '2027-01-09'] },
      daysFromICalendar(NOTICE_2027),
    );
    expect(merged.holidays[0]).toBe('2026-10-01');
    expect(merged.holidays).not.toContain('2027-01-05');
    expect(merged.holidays).toContain('2027-02-13');
    expect(merged.makeUpWorkingDays).toEqual(['2026-10-10', '2027-02-14', '2027-02-20']);
  });
});
