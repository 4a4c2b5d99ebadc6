import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, sendJson } from '../../api/client';
import { useDirectory } from '../../api/queries';
import { Field } from '../../components/Field';
import { fieldErrorUnder, namesUnder, ProblemAlert } from '../../components/Problem';
import { dayMark, isWorked, monthWeeks, toggleDay } from '../../lib/calendar-days';
import { daysFromICalendar, mergeImportedDays, type ImportedDays } from '../../lib/ical-days';

interface WorkingCalendar {
  timeZone: string;
  workingDays: number[];
  businessHours: { start: string; end: string };
  holidays: string[];
  makeUpWorkingDays: string[];
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
const FIELDS = ['timeZone', 'workingDays', 'businessHours.start', 'businessHours.end', 'holidays', 'makeUpWorkingDays'];

/** A region's working calendar: its week and hours, and its days off and 调休 days picked on a month grid. */
export function CalendarForm() {
  const { t } = useTranslation();
  const directory = useDirectory();
  const [regionId, setRegionId] = useState('');
  const region = regionId || directory.data?.regions[0]?.id || '';
  const path = `/v1/calendars/${encodeURIComponent(region)}`;
  const current = useQuery({
    queryKey: ['admin', path],
    queryFn: () => getJson<{ calendar: WorkingCalendar; isDefault: boolean }>(path),
    enabled: region !== '',
  });
  return (
    <div className="calendar-form">
      <label>
        {t('admin.regions')}{' '}
        <select name="region" value={region} onChange={(event) => setRegionId(event.target.value)}>
          {(directory.data?.regions ?? []).map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </select>
      </label>
      <ProblemAlert error={current.error} />
      {current.data && (
        <>
          <p className="hint">{t(current.data.isDefault ? 'calendarForm.shipped' : 'calendarForm.own')}</p>
          {/* Keyed by region only: a refetch (after saving, on window focus) must not throw away edits. */}
          <CalendarEditor key={path} path={path} stored={current.data.calendar} />
        </>
      )}
    </div>
  );
}

function CalendarEditor({ path, stored }: { path: string; stored: WorkingCalendar }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [calendar, setCalendar] = useState(stored);
  const today = new Date();
  const [month, setMonth] = useState({ year: today.getFullYear(), month: today.getMonth() + 1 });
  const [imported, setImported] = useState<ImportedDays | null>(null);
  const [importError, setImportError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: () => sendJson('PUT', path, calendar),
    onSuccess: () => {
      setImported(null); // its "not saved yet" is no longer true
      return queryClient.invalidateQueries({ queryKey: ['admin', path] });
    },
  });
  const error = save.error;
  const step = (by: number) =>
    setMonth(({ year, month: m }) => {
      const index = year * 12 + (m - 1) + by;
      return { year: Math.floor(index / 12), month: (index % 12) + 1 };
    });
  const weekdayName = (weekday: number) =>
    new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, weekday)), // 2024-01-01 was a Monday
    );
  const monthTitle = new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(month.year, month.month - 1, 1)),
  );
  const inYear = (dates: string[]) => dates.filter((date) => date.startsWith(`${month.year}-`)).length;

  const readFile = async (file: File) => {
    try {
      const days = daysFromICalendar(await file.text());
      setImported(days);
      setImportError(undefined);
      setCalendar((before) => ({ ...before, ...mergeImportedDays(before, days) }));
      const first = days.holidays[0] ?? days.makeUpWorkingDays[0];
      if (first) setMonth({ year: Number(first.slice(0, 4)), month: Number(first.slice(5, 7)) });
    } catch (caught) {
      setImported(null);
      setImportError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <div className="calendar-settings">
        <Field label={t('calendarForm.timeZone')} error={fieldErrorUnder(error, 'timeZone')} hint="Asia/Shanghai">
          <input
            value={calendar.timeZone}
            onChange={(event) => setCalendar({ ...calendar, timeZone: event.target.value.trim() })}
          />
        </Field>
        <Field label={t('calendarForm.opens')} error={fieldErrorUnder(error, 'businessHours.start')}>
          <input
            type="time"
            value={calendar.businessHours.start}
            onChange={(event) =>
              setCalendar({ ...calendar, businessHours: { ...calendar.businessHours, start: event.target.value } })
            }
          />
        </Field>
        <Field label={t('calendarForm.closes')} error={fieldErrorUnder(error, 'businessHours.end')}>
          <input
            type="time"
            value={calendar.businessHours.end}
            onChange={(event) =>
              setCalendar({ ...calendar, businessHours: { ...calendar.businessHours, end: event.target.value } })
            }
          />
        </Field>
      </div>
      <fieldset className="weekdays">
        <legend>{t('calendarForm.workingDays')}</legend>
        {WEEKDAYS.map((weekday) => (
          <label key={weekday}>
            <input
              type="checkbox"
              checked={calendar.workingDays.includes(weekday)}
              onChange={(event) =>
                setCalendar({
                  ...calendar,
                  workingDays: event.target.checked
                    ? [...calendar.workingDays, weekday].sort()
                    : calendar.workingDays.filter((day) => day !== weekday),
                })
              }
            />{' '}
            {weekdayName(weekday)}
          </label>
        ))}
        {fieldErrorUnder(error, 'workingDays') && (
          <small className="field-error" role="alert">
            {fieldErrorUnder(error, 'workingDays')}
          </small>
        )}
      </fieldset>
      <section className="card month-grid" aria-labelledby="month-title">
        <p className="hint">{t('calendarForm.pickHint')}</p>
        <div className="month-nav">
          <button type="button" onClick={() => step(-1)} aria-label={t('calendarForm.previous')}>
            ‹
          </button>
          <h3 id="month-title" aria-live="polite">
            {monthTitle}
          </h3>
          <button type="button" onClick={() => step(1)} aria-label={t('calendarForm.next')}>
            ›
          </button>
        </div>
        <table>
          <thead>
            <tr>
              {WEEKDAYS.map((weekday) => (
                <th key={weekday} scope="col">
                  {weekdayName(weekday)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {monthWeeks(month.year, month.month).map((week, index) => (
              <tr key={index}>
                {week.map((date, column) =>
                  date ? (
                    <td key={date}>
                      <DayButton
                        date={date}
                        mark={dayMark(calendar, date)}
                        worked={isWorked(calendar, date)}
                        onToggle={() => setCalendar(toggleDay(calendar, date))}
                      />
                    </td>
                  ) : (
                    <td key={`empty-${column}`} />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
        <p role="status">
          {t('calendarForm.yearCounts', {
            year: month.year,
            holidays: inYear(calendar.holidays),
            makeUp: inYear(calendar.makeUpWorkingDays),
          })}
        </p>
        {(fieldErrorUnder(error, 'holidays') ?? fieldErrorUnder(error, 'makeUpWorkingDays')) && (
          <small className="field-error" role="alert">
            {fieldErrorUnder(error, 'holidays') ?? fieldErrorUnder(error, 'makeUpWorkingDays')}
          </small>
        )}
      </section>
      <Field label={t('calendarForm.importFile')} hint={t('calendarForm.importHint')} error={importError}>
        <input
          type="file"
          accept=".ics,text/calendar"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void readFile(file);
          }}
        />
      </Field>
      {imported && (
        <p role="status" className="imported">
          {t('calendarForm.imported', {
            years: imported.years.join(', '),
            holidays: imported.holidays.length,
            makeUp: imported.makeUpWorkingDays.length,
          })}
        </p>
      )}
      <ProblemAlert error={error} shownFields={namesUnder(error, FIELDS)} />
      {save.isSuccess && <p role="status">{t('common.saved')}</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('common.save')}
      </button>{' '}
      <button
        type="button"
        onClick={() => {
          setCalendar(stored);
          setImported(null);
        }}
      >
        {t('policyForm.reset')}
      </button>
    </form>
  );
}

function DayButton({
  date,
  mark,
  worked,
  onToggle,
}: {
  date: string;
  mark: 'usual' | 'holiday' | 'makeUp';
  worked: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  const state = mark === 'usual' ? t(worked ? 'calendarForm.working' : 'calendarForm.rest') : t(`calendarForm.${mark}`);
  return (
    <button
      type="button"
      className={`day ${mark} ${worked ? 'worked' : 'off'}`}
      data-date={date}
      aria-label={`${date}: ${state}`}
      title={state}
      onClick={onToggle}
    >
      {Number(date.slice(8))}
      {mark !== 'usual' && <span className="mark">{t(`calendarForm.${mark}Mark`)}</span>}
    </button>
  );
}
