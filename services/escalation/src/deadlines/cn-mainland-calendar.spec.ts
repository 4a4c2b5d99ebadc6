import { CN_MAINLAND_CALENDAR, CN_MAINLAND_CALENDAR_ID } from './cn-mainland-calendar';
import { calendarProblems, isWorkingDay } from './working-calendar';

// The notices as published, with the weekday each one states beside every date (周一 = 1 … 周日 = 7),
// so a wrong date shows as a weekday mismatch.
interface NoticeLine {
  name: string;
  off: [first: string, firstWeekday: number, last: string, lastWeekday: number];
  worked: [date: string, weekday: number][];
}

const NOTICES: Record<string, NoticeLine[]> = {
  // 国办发明电〔2024〕12号
  '2025': [
    { name: '元旦', off: ['2025-01-01', 3, '2025-01-01', 3], worked: [] },
    {
      name: '春节',
      off: ['2025-01-28', 2, '2025-02-04', 2],
      worked: [
        ['2025-01-26', 7],
        ['2025-02-08', 6],
      ],
    },
    { name: '清明节', off: ['2025-04-04', 5, '2025-04-06', 7], worked: [] },
    { name: '劳动节', off: ['2025-05-01', 4, '2025-05-05', 1], worked: [['2025-04-27', 7]] },
    { name: '端午节', off: ['2025-05-31', 6, '2025-06-02', 1], worked: [] },
    {
      name: '国庆节、中秋节',
      off: ['2025-10-01', 3, '2025-10-08', 3],
      worked: [
        ['2025-09-28', 7],
        ['2025-10-11', 6],
      ],
    },
  ],
  // 国办发明电〔2025〕7号
  '2026': [
    { name: '元旦', off: ['2026-01-01', 4, '2026-01-03', 6], worked: [['2026-01-04', 7]] },
    {
      name: '春节',
      off: ['2026-02-15', 7, '2026-02-23', 1],
      worked: [
        ['2026-02-14', 6],
        ['2026-02-28', 6],
      ],
    },
    { name: '清明节', off: ['2026-04-04', 6, '2026-04-06', 1], worked: [] },
    { name: '劳动节', off: ['2026-05-01', 5, '2026-05-05', 2], worked: [['2026-05-09', 6]] },
    { name: '端午节', off: ['2026-06-19', 5, '2026-06-21', 7], worked: [] },
    { name: '中秋节', off: ['2026-09-25', 5, '2026-09-27', 7], worked: [] },
    {
      name: '国庆节',
      off: ['2026-10-01', 4, '2026-10-07', 3],
      worked: [
        ['2026-09-20', 7],
        ['2026-10-10', 6],
      ],
    },
  ],
};

const DAY_MS = 24 * 60 * 60 * 1000;
const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += DAY_MS) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

const lines = Object.entries(NOTICES).flatMap(([year, notice]) =>
  notice.map((line) => [`${year} ${line.name}`, line] as const),
);

describe('CN_MAINLAND_CALENDAR', () => {
  it('is a valid calendar: Mon–Fri 09:00–18:00 in Asia/Shanghai', () => {
    expect(CN_MAINLAND_CALENDAR_ID).toBe('cn-mainland');
    expect(calendarProblems(CN_MAINLAND_CALENDAR)).toEqual([]);
    expect(CN_MAINLAND_CALENDAR.timeZone).toBe('Asia/Shanghai');
    expect(CN_MAINLAND_CALENDAR.workingDays).toEqual([1, 2, 3, 4, 5]);
    expect(CN_MAINLAND_CALENDAR.businessHours).toEqual({ start: '09:00', end: '18:00' });
  });

  it.each(lines)('%s: dates agree with the weekdays in the notice', (_name, line) => {
    const [first, firstWeekday, last, lastWeekday] = line.off;
    expect(weekday(first)).toBe(firstWeekday);
    expect(weekday(last)).toBe(lastWeekday);
    for (const [date, stated] of line.worked) {
      expect(weekday(date)).toBe(stated);
      // A make-up working day only ever moves work onto a weekend.
      expect([6, 7]).toContain(stated);
    }
  });

  it.each(lines)('%s: every day off is a holiday and every make-up day is worked', (_name, line) => {
    const off = datesFrom(line.off[0], line.off[2]);
    for (const date of off) {
      expect(CN_MAINLAND_CALENDAR.holidays).toContain(date);
      expect(isWorkingDay(CN_MAINLAND_CALENDAR, date)).toBe(false);
    }
    // The notices always give a weekday off; otherwise the line would not be needed.
    expect(off.some((date) => weekday(date) <= 5)).toBe(true);
    for (const [date] of line.worked) {
      expect(isWorkingDay(CN_MAINLAND_CALENDAR, date)).toBe(true);
    }
  });

  it('lists nothing the notices do not', () => {
    const all = lines.map(([, line]) => line);
    const off = all.flatMap((line) => datesFrom(line.off[0], line.off[2]));
    const worked = all.flatMap((line) => line.worked.map(([date]) => date));
    expect([...CN_MAINLAND_CALENDAR.holidays].sort()).toEqual(off.sort());
    expect([...CN_MAINLAND_CALENDAR.makeUpWorkingDays].sort()).toEqual(worked.sort());
  });

  it('has the weekdays off that the notices imply', () => {
    const weekdaysOff = CN_MAINLAND_CALENDAR.holidays.filter((date) => weekday(date) <= 5);
    expect(weekdaysOff.filter((date) => date.startsWith('2025'))).toEqual([
      '2025-01-01',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-03',
      '2025-02-04',
      '2025-04-04',
      '2025-05-01',
      '2025-05-02',
      '2025-05-05',
      '2025-06-02',
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ]);
    expect(weekdaysOff.filter((date) => date.startsWith('2026'))).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-23',
      '2026-04-06',
      '2026-05-01',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-01',
      '2026-10-02',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
  });
});
