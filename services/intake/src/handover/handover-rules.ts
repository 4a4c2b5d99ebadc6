import { HANDOVER_CHECKLIST, MAX_SHIFT_HOURS } from '@complaints/domain';
import type { ChecklistAnswerRecord, HandoverItemRecord, StaffRefRecord } from './handover.schema';

// The rules of a handover entry, without storage: what a shift may write, what the next one
// carries, which day and month an entry belongs to. Problems name the field of the HTTP body.

export const MAX_ITEMS = 100;
export const MAX_ITEM_TEXT = 500;
export const MAX_NOTE = 1000;
export const MAX_TEXT = 4000;
export const MAX_ON_SHIFT = 30;

export type Problems = Record<string, string>;

export interface ItemInput {
  id: string;
  text: string;
  done: boolean;
  note: string;
}

/** YYYY-MM-DD of an instant in a time zone (en-CA formats dates that way). */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The ledger day of a shift: the day it starts on, where the property is. */
export const shiftDay = (start: Date, timeZone: string): string => localDate(start, timeZone);

export const monthOf = (day: string): string => day.slice(0, 7);

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
export const isDay = (value: string): boolean =>
  DAY.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
export const isMonth = (value: string): boolean => MONTH.test(value);

/** Whether a month is over where the property is: only then may it be archived. */
export function monthIsPast(month: string, now: Date, timeZone: string): boolean {
  return monthOf(localDate(now, timeZone)) > month;
}

export function checkShift(start: Date, end: Date, problems: Problems): void {
  if (Number.isNaN(start.getTime())) problems['shift.start'] = 'must be a date and time (RFC 3339)';
  if (Number.isNaN(end.getTime())) problems['shift.end'] = 'must be a date and time (RFC 3339)';
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return;
  if (end <= start) problems['shift.end'] = 'must be after the start';
  else if (end.getTime() - start.getTime() > MAX_SHIFT_HOURS * 3_600_000)
    problems['shift.end'] = `a shift lasts at most ${MAX_SHIFT_HOURS} hours`;
}

export function checkTexts(texts: Record<string, string>, problems: Problems): void {
  for (const [field, text] of Object.entries(texts)) {
    if (text.length > MAX_TEXT) problems[field] = `at most ${MAX_TEXT} characters`;
  }
}

/** Every line of the checklist answered once; one left unchecked says why. */
export function checkChecklist(answers: ChecklistAnswerRecord[], problems: Problems): ChecklistAnswerRecord[] {
  const known = new Set<string>(HANDOVER_CHECKLIST);
  const seen = new Set<string>();
  answers.forEach((answer, index) => {
    if (!known.has(answer.item))
      problems[`checklist.${index}.item`] = `must be one of ${HANDOVER_CHECKLIST.join(', ')}`;
    else if (seen.has(answer.item)) problems[`checklist.${index}.item`] = 'answered twice';
    else if (!answer.checked && !answer.note.trim())
      problems[`checklist.${index}.note`] = 'a line left unchecked needs a note saying why';
    else if (answer.note.length > MAX_NOTE) problems[`checklist.${index}.note`] = `at most ${MAX_NOTE} characters`;
    seen.add(answer.item);
  });
  const missing = HANDOVER_CHECKLIST.filter((item) => !seen.has(item));
  if (missing.length > 0) problems.checklist ??= `must answer every line; missing: ${missing.join(', ')}`;
  // Stored in the checklist's own order, whatever order they came in.
  return HANDOVER_CHECKLIST.flatMap((item) => answers.filter((answer) => answer.item === item).slice(0, 1)).map(
    (answer) => ({ item: answer.item, checked: answer.checked, note: answer.note.trim() }),
  );
}

export function checkOnShift(onShift: StaffRefRecord[], problems: Problems): void {
  if (onShift.length === 0) problems.onShift = 'name at least one staff member on shift';
  if (onShift.length > MAX_ON_SHIFT) problems.onShift = `at most ${MAX_ON_SHIFT} staff members`;
  const ids = onShift.map((staff) => staff.id);
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) problems[`onShift.${index}`] = 'named twice';
  });
}

/** The follow-ups a next entry carries: those not done, as open items carried in. */
export function unfinished(items: readonly HandoverItemRecord[]): HandoverItemRecord[] {
  return items
    .filter((item) => !item.done)
    .map((item) => ({ ...item, carried: true, done: false, doneBy: null, doneAt: null, note: '' }));
}

/**
 * The entry's follow-ups after a write: `current` are those it has (carried in, or written on it
 * before); an input with an id changes one of them (a carried one only its done mark and note;
 * without a text, the text stays), one without is new. A carried follow-up left out stays open: it is dropped only by being done.
 */
export function mergeItems(
  current: readonly HandoverItemRecord[],
  inputs: readonly ItemInput[],
  context: { entryId: string; day: string; by: StaffRefRecord; now: Date; newId: () => string },
  problems: Problems,
): HandoverItemRecord[] {
  if (inputs.length > MAX_ITEMS) problems.items = `at most ${MAX_ITEMS} follow-ups`;
  const byId = new Map(current.map((item) => [item.id, item]));
  const mentioned = new Set<string>();
  const written: HandoverItemRecord[] = [];
  inputs.forEach((input, index) => {
    const text = input.text.trim();
    const note = input.note.trim();
    if (note.length > MAX_NOTE) problems[`items.${index}.note`] = `at most ${MAX_NOTE} characters`;
    const done = (was: HandoverItemRecord | undefined) =>
      input.done
        ? {
            done: true,
            doneBy: was?.done && was.doneBy ? was.doneBy : context.by,
            doneAt: was?.done && was.doneAt ? was.doneAt : context.now,
          }
        : { done: false, doneBy: null, doneAt: null };
    if (input.id) {
      const existing = byId.get(input.id);
      if (!existing) {
        problems[`items.${index}.id`] = 'is not a follow-up of this entry';
        return;
      }
      if (mentioned.has(input.id)) {
        problems[`items.${index}.id`] = 'named twice';
        return;
      }
      mentioned.add(input.id);
      if (existing.carried && text && text !== existing.text) {
        problems[`items.${index}.text`] = 'a carried follow-up keeps its text: mark it done with a note instead';
        return;
      }
      if (text.length > MAX_ITEM_TEXT) problems[`items.${index}.text`] = `at most ${MAX_ITEM_TEXT} characters`;
      // Without a text, one's own follow-up keeps the one it has.
      written.push({ ...existing, text: existing.carried || !text ? existing.text : text, note, ...done(existing) });
      return;
    }
    if (!text) problems[`items.${index}.text`] = 'must not be empty';
    else if (text.length > MAX_ITEM_TEXT) problems[`items.${index}.text`] = `at most ${MAX_ITEM_TEXT} characters`;
    written.push({
      id: context.newId(),
      text,
      firstEntryId: context.entryId,
      firstDay: context.day,
      carried: false,
      note,
      ...done(undefined),
    });
  });
  // Carried ones first, in the order they came; then this shift's own.
  const carriedLeft = current.filter((item) => item.carried && !mentioned.has(item.id));
  const carried = [...carriedLeft, ...written.filter((item) => item.carried)];
  const order = new Map(current.map((item, index) => [item.id, index]));
  carried.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return [...carried, ...written.filter((item) => !item.carried)];
}
