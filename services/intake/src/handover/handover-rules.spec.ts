import { HANDOVER_CHECKLIST } from '@complaints/domain';
import type { HandoverItemRecord } from './handover.schema';
import {
  checkChecklist,
  checkOnShift,
  checkShift,
  isDay,
  mergeItems,
  monthIsPast,
  shiftDay,
  unfinished,
  type Problems,
} from './handover-rules';

const by = { id: 's-li-na', name: '李娜' };
const now = new Date('2026-12-06T10:00:00Z');
let counter = 0;
const context = { entryId: 'ho-2', day: '2026-12-06', by, now, newId: () => `fu-new-${++counter}` };

const carried = (id: string, text: string): HandoverItemRecord => ({
  id,
  text,
  firstEntryId: 'ho-1',
  firstDay: '2026-12-05',
  carried: true,
  done: false,
  doneBy: null,
  doneAt: null,
  note: '',
});

describe('the ledger day of a shift', () => {
  it('is the day the shift starts on where the property is', () => {
    // 23:00 in Shanghai is 15:00 UTC: still the 6th there; 16:30 UTC is the 7th.
    expect(shiftDay(new Date('2026-12-06T15:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-06');
    expect(shiftDay(new Date('2026-12-06T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-07');
  });

  it('knows real days and when a month is over', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-2-3')).toBe(false);
    expect(monthIsPast('2026-11', now, 'Asia/Shanghai')).toBe(true);
    expect(monthIsPast('2026-12', now, 'Asia/Shanghai')).toBe(false);
    // 30 November 17:00 UTC is already 1 December in Shanghai.
    expect(monthIsPast('2026-11', new Date('2026-11-30T17:00:00Z'), 'Asia/Shanghai')).toBe(true);
    expect(monthIsPast('2026-11', new Date('2026-11-30T15:00:00Z'), 'Asia/Shanghai')).toBe(false);
  });
});

describe('a shift', () => {
  it('ends after it starts and lasts at most a day', () => {
    const problems: Problems = {};
    checkShift(new Date('2026-12-06T08:00:00Z'), new Date('2026-12-06T08:00:00Z'), problems);
    expect(problems).toEqual({ 'shift.end': 'must be after the start' });
    const long: Problems = {};
    checkShift(new Date('2026-12-06T08:00:00Z'), new Date('2026-12-07T08:00:01Z'), long);
    expect(long['shift.end']).toMatch(/at most 24 hours/);
    const fine: Problems = {};
    checkShift(new Date('2026-12-06T22:00:00Z'), new Date('2026-12-07T06:00:00Z'), fine);
    expect(fine).toEqual({});
  });

  it('names its people once', () => {
    const problems: Problems = {};
    checkOnShift([by, { id: 's-wang-lei', name: '王磊' }, by], problems);
    expect(problems).toEqual({ 'onShift.2': 'named twice' });
    const none: Problems = {};
    checkOnShift([], none);
    expect(none.onShift).toBeDefined();
  });
});

describe('the checklist', () => {
  const all = HANDOVER_CHECKLIST.map((item) => ({ item, checked: true, note: '' }));

  it('answers every line once, in its own order', () => {
    const problems: Problems = {};
    const stored = checkChecklist([...all].reverse(), problems);
    expect(problems).toEqual({});
    expect(stored.map((answer) => answer.item)).toEqual([...HANDOVER_CHECKLIST]);
  });

  it('names what is missing, unknown, repeated, or unchecked without a reason', () => {
    const problems: Problems = {};
    checkChecklist(
      [
        { item: 'keys', checked: false, note: ' ' },
        { item: 'keys', checked: true, note: '' },
        { item: 'coffee', checked: true, note: '' },
      ],
      problems,
    );
    expect(problems['checklist.0.note']).toMatch(/needs a note/);
    expect(problems['checklist.1.item']).toBe('answered twice');
    expect(problems['checklist.2.item']).toMatch(/must be one of/);
    expect(problems.checklist).toMatch(/missing: work_area_tidy, resident_situations/);
  });

  it('takes an unchecked line with its reason', () => {
    const problems: Problems = {};
    const answers = all.map((answer) =>
      answer.item === 'keys' ? { item: 'keys', checked: false, note: '3号库房钥匙在工程部' } : answer,
    );
    expect(checkChecklist(answers, problems)[1]).toEqual({ item: 'keys', checked: false, note: '3号库房钥匙在工程部' });
    expect(problems).toEqual({});
  });
});

describe('follow-ups', () => {
  const previous: HandoverItemRecord[] = [
    carried('fu-a', '12楼漏水待工程部回复'),
    { ...carried('fu-b', '快递代收'), carried: false, done: true, doneBy: by, doneAt: now, note: '已取' },
  ];

  it('carries only the unfinished ones, open', () => {
    expect(unfinished(previous)).toEqual([carried('fu-a', '12楼漏水待工程部回复')]);
  });

  it('keeps a carried one open until it is marked done, recording who and when', () => {
    const current = unfinished(previous);
    const untouched: Problems = {};
    const kept = mergeItems(current, [{ id: '', text: '302业主访客车位', done: false, note: '' }], context, untouched);
    expect(untouched).toEqual({});
    expect(kept.map((item) => [item.text, item.carried, item.done])).toEqual([
      ['12楼漏水待工程部回复', true, false],
      ['302业主访客车位', false, false],
    ]);
    expect(kept[1].firstEntryId).toBe('ho-2');

    const problems: Problems = {};
    const done = mergeItems(current, [{ id: 'fu-a', text: '', done: true, note: '工程部已修复' }], context, problems);
    expect(problems).toEqual({});
    expect(done).toEqual([
      { ...carried('fu-a', '12楼漏水待工程部回复'), done: true, doneBy: by, doneAt: now, note: '工程部已修复' },
    ]);
    // Done stays on this entry; the next one carries nothing of it.
    expect(unfinished(done)).toEqual([]);
  });

  it('refuses another text for a carried one, an unknown id, an id twice and an empty new one', () => {
    const problems: Problems = {};
    mergeItems(
      unfinished(previous),
      [
        { id: 'fu-a', text: '改过的内容', done: false, note: '' },
        { id: 'fu-zzz', text: '', done: true, note: '' },
        { id: '', text: '  ', done: false, note: '' },
      ],
      context,
      problems,
    );
    expect(Object.keys(problems).sort()).toEqual(['items.0.text', 'items.1.id', 'items.2.text']);
    const twice: Problems = {};
    mergeItems(
      unfinished(previous),
      [
        { id: 'fu-a', text: '', done: false, note: '' },
        { id: 'fu-a', text: '', done: true, note: '' },
      ],
      context,
      twice,
    );
    expect(twice).toEqual({ 'items.1.id': 'named twice' });
  });

  it('keeps who finished one when the entry is edited again', () => {
    const first = mergeItems(unfinished(previous), [{ id: 'fu-a', text: '', done: true, note: '已修复' }], context, {});
    const later = { ...context, by: { id: 's-zhao-min', name: '赵敏' }, now: new Date('2026-12-06T12:00:00Z') };
    const again = mergeItems(first, [{ id: 'fu-a', text: '', done: true, note: '已修复，已回访' }], later, {});
    expect(again[0]).toMatchObject({ doneBy: by, doneAt: now, note: '已修复，已回访' });
  });
});
