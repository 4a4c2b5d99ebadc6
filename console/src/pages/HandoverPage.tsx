import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { HANDOVER_CHECKLIST, ROLE_LEVELS, type HandoverChecklistItem } from '@complaints/domain';
import { download, getJson, sendJson } from '../api/client';
import type { components } from '../api/generated/openapi';
import { useColleagues } from '../api/queries';
import { useMe } from '../auth/session';
import { DownloadButtons } from '../components/DownloadButtons';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';

type Entry = components['schemas']['HandoverEntry'];
type Preview = components['schemas']['HandoverPreview'];
type LedgerDay = components['schemas']['LedgerDay'];
type LedgerMonth = components['schemas']['LedgerMonth'];
type HandoverInput = components['schemas']['HandoverEntryInput'];

/** YYYY-MM-DD and YYYY-MM-DDTHH:mm of the browser's own clock, as date inputs take them. */
const pad = (n: number) => String(n).padStart(2, '0');
const localDay = (at: Date) => `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
const localInput = (at: Date) => `${localDay(at)}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
const shown = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

/** A supervisor and above reviews the day and archives the month (the gateway decides; this only hides the buttons). */
const mayReview = (level: string | null) => level !== null && ROLE_LEVELS.indexOf(level as never) >= 1;

/**
 * The desk's handover book (交接班本) and work ledger (工作台帐) of one property: the outgoing
 * shift writes its entry (carried follow-ups, open complaints, the checklist), the incoming shift
 * signs it, a supervisor reviews the day, and the month is exported and archived.
 */
export function HandoverPage() {
  const { t } = useTranslation();
  const me = useMe();
  // In the address, so that a reload or a shared link opens the same property and day.
  const [params, setParams] = useSearchParams();
  const propertyId = params.get('property') ?? me.propertyIds[0] ?? me.scopeProperties[0]?.id ?? '';
  const day = params.get('day') ?? localDay(new Date());
  const setPropertyId = (property: string) => setParams({ property, day }, { replace: true });
  const setDay = (next: string) => setParams({ property: propertyId, day: next }, { replace: true });
  return (
    <section aria-labelledby="handover-title">
      <h1 id="handover-title">{t('handover.title')}</h1>
      <Field label={t('handover.property')}>
        <select name="handoverProperty" value={propertyId} onChange={(e) => setPropertyId(e.target.value)}>
          {me.scopeProperties.map((property) => (
            <option key={property.id} value={property.id}>
              {property.name}
            </option>
          ))}
        </select>
      </Field>
      {propertyId && (
        <>
          <WriteHandover key={propertyId} propertyId={propertyId} onWritten={(written) => setDay(written.day)} />
          <DayLedger propertyId={propertyId} day={day} onDay={setDay} />
          <MonthLedger propertyId={propertyId} month={day.slice(0, 7)} />
        </>
      )}
    </section>
  );
}

function WriteHandover({ propertyId, onWritten }: { propertyId: string; onWritten: (entry: Entry) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const preview = useQuery({
    queryKey: ['handover-preview', propertyId],
    queryFn: () => getJson<Preview>('/v1/handovers/preview', { propertyId }),
  });
  const colleagues = useColleagues(propertyId);
  const now = new Date();
  const [shiftName, setShiftName] = useState('');
  const [start, setStart] = useState(localInput(new Date(now.getTime() - 8 * 3_600_000)));
  const [end, setEnd] = useState(localInput(now));
  const [onShift, setOnShift] = useState<string[]>([me.staffId]);
  const [finished, setFinished] = useState<Record<string, { done: boolean; note: string }>>({});
  const [newItems, setNewItems] = useState('');
  const [residentSituations, setResidentSituations] = useState('');
  const [keysAndItems, setKeysAndItems] = useState('');
  const [notices, setNotices] = useState('');
  const [checklist, setChecklist] = useState<Record<HandoverChecklistItem, { checked: boolean; note: string }>>(
    () =>
      Object.fromEntries(HANDOVER_CHECKLIST.map((item) => [item, { checked: false, note: '' }])) as Record<
        HandoverChecklistItem,
        { checked: boolean; note: string }
      >,
  );
  const write = useMutation({
    mutationFn: () => {
      const body: HandoverInput = {
        propertyId,
        shift: { name: shiftName, start: new Date(start).toISOString(), end: new Date(end).toISOString() },
        onShift,
        items: [
          ...Object.entries(finished).map(([id, state]) => ({ id, text: '', done: state.done, note: state.note })),
          ...newItems
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean)
            .map((text) => ({ id: '', text, done: false, note: '' })),
        ],
        residentSituations,
        keysAndItems,
        notices,
        checklist: HANDOVER_CHECKLIST.map((item) => ({ item, ...checklist[item] })),
      };
      return sendJson<Entry>('POST', '/v1/handovers', body);
    },
    onSuccess: (entry) => {
      setFinished({});
      setNewItems('');
      onWritten(entry);
      return queryClient.invalidateQueries({ queryKey: ['handover'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    write.mutate();
  };
  const staff = colleagues.data?.staff ?? [];
  const people = staff.some((member) => member.id === me.staffId)
    ? staff
    : [{ id: me.staffId, name: me.name }, ...staff];
  return (
    <>
      <form className="card" aria-label={t('handover.write')} noValidate onSubmit={submit}>
        <h2>{t('handover.write')}</h2>
        <Field label={t('handover.shiftName')} error={fieldError(write.error, 'shift.name')}>
          <input name="shiftName" maxLength={50} value={shiftName} onChange={(e) => setShiftName(e.target.value)} />
        </Field>
        <Field label={t('handover.shiftStart')} error={fieldError(write.error, 'shift.start')}>
          <input name="shiftStart" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} />
        </Field>
        <Field label={t('handover.shiftEnd')} error={fieldError(write.error, 'shift.end')}>
          <input name="shiftEnd" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} />
        </Field>
        <fieldset>
          <legend>{t('handover.onShift')}</legend>
          {people.map((member) => (
            <label key={member.id} className="checkbox">
              <input
                type="checkbox"
                name={`onShift-${member.id}`}
                checked={onShift.includes(member.id)}
                onChange={(e) =>
                  setOnShift(e.target.checked ? [...onShift, member.id] : onShift.filter((id) => id !== member.id))
                }
              />
              {member.name}
            </label>
          ))}
          {fieldError(write.error, 'onShift') && <small role="alert">{fieldError(write.error, 'onShift')}</small>}
        </fieldset>
        <fieldset>
          <legend>{t('handover.carried')}</legend>
          {preview.data?.carried.length === 0 && <p className="hint">{t('handover.carriedNone')}</p>}
          <ul data-testid="carried">
            {preview.data?.carried.map((item) => {
              const state = finished[item.id] ?? { done: false, note: '' };
              const set = (next: Partial<typeof state>) =>
                setFinished({ ...finished, [item.id]: { ...state, ...next } });
              return (
                <li key={item.id}>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      name={`done-${item.id}`}
                      checked={state.done}
                      onChange={(e) => set({ done: e.target.checked })}
                    />
                    {item.text} <small>{t('handover.since', { day: item.firstDay })}</small>
                  </label>
                  <Field label={t('handover.note')} hideLabel>
                    <input
                      name={`note-${item.id}`}
                      placeholder={t('handover.note')}
                      maxLength={1000}
                      value={state.note}
                      onChange={(e) => set({ note: e.target.value })}
                    />
                  </Field>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <Field label={t('handover.newItems')}>
          <textarea name="newItems" rows={3} value={newItems} onChange={(e) => setNewItems(e.target.value)} />
        </Field>
        <Field label={t('handover.residentSituations')} error={fieldError(write.error, 'residentSituations')}>
          <textarea
            name="residentSituations"
            rows={3}
            maxLength={4000}
            value={residentSituations}
            onChange={(e) => setResidentSituations(e.target.value)}
          />
        </Field>
        <Field label={t('handover.keysAndItems')} error={fieldError(write.error, 'keysAndItems')}>
          <textarea
            name="keysAndItems"
            rows={2}
            maxLength={4000}
            value={keysAndItems}
            onChange={(e) => setKeysAndItems(e.target.value)}
          />
        </Field>
        <Field label={t('handover.notices')} error={fieldError(write.error, 'notices')}>
          <textarea
            name="notices"
            rows={2}
            maxLength={4000}
            value={notices}
            onChange={(e) => setNotices(e.target.value)}
          />
        </Field>
        <fieldset>
          <legend>{t('handover.checklist')}</legend>
          {fieldError(write.error, 'checklist') && (
            <small role="alert" className="field-error">
              {fieldError(write.error, 'checklist')}
            </small>
          )}
          {HANDOVER_CHECKLIST.map((item, index) => (
            <div key={item}>
              <label className="checkbox">
                <input
                  type="checkbox"
                  name={`check-${item}`}
                  checked={checklist[item].checked}
                  onChange={(e) =>
                    setChecklist({ ...checklist, [item]: { ...checklist[item], checked: e.target.checked } })
                  }
                />
                {t(`handover.checklistItems.${item}`)}
              </label>
              {!checklist[item].checked && (
                <Field label={t('handover.checkNote')} error={fieldError(write.error, `checklist.${index}.note`)}>
                  <input
                    name={`checkNote-${item}`}
                    maxLength={1000}
                    value={checklist[item].note}
                    onChange={(e) =>
                      setChecklist({ ...checklist, [item]: { ...checklist[item], note: e.target.value } })
                    }
                  />
                </Field>
              )}
            </div>
          ))}
        </fieldset>
        <ProblemAlert
          error={write.error}
          shownFields={[
            'shift.name',
            'shift.start',
            'shift.end',
            'checklist',
            'residentSituations',
            'keysAndItems',
            'notices',
          ]}
        />
        {write.isSuccess && <p role="status">{t('handover.written')}</p>}
        <button type="submit" className="primary" disabled={write.isPending}>
          {t('handover.submit')}
        </button>
      </form>
      <section className="card" aria-labelledby="open-complaints">
        <h2 id="open-complaints">{t('handover.openComplaints')}</h2>
        <OpenComplaints
          complaints={preview.data?.openComplaints ?? []}
          truncated={preview.data?.openComplaintsTruncated}
        />
      </section>
    </>
  );
}

function OpenComplaints({ complaints, truncated }: { complaints: Entry['openComplaints']; truncated?: boolean }) {
  const { t } = useTranslation();
  if (complaints.length === 0) return <p className="hint">{t('handover.openNone')}</p>;
  return (
    <>
      <ul data-testid="open-complaints">
        {complaints.map((complaint) => (
          <li key={complaint.id}>
            <Link to={`/complaints/${complaint.id}`}>{complaint.number}</Link> · {t(`enum.status.${complaint.status}`)}
            {complaint.handlerName ? ` · ${complaint.handlerName}` : ''}
            {complaint.nextDeadlineAt ? ` · ${shown(complaint.nextDeadlineAt)}` : ''}
          </li>
        ))}
      </ul>
      {truncated && <p className="hint">{t('handover.openMore')}</p>}
    </>
  );
}

function DayLedger({ propertyId, day, onDay }: { propertyId: string; day: string; onDay: (day: string) => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [reviewNote, setReviewNote] = useState('');
  const ledger = useQuery({
    queryKey: ['handover', 'day', propertyId, day],
    queryFn: () => getJson<LedgerDay>(`/v1/ledgers/${encodeURIComponent(propertyId)}/${day}`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['handover'] });
  const review = useMutation({
    mutationFn: () =>
      sendJson<LedgerDay>('POST', `/v1/ledgers/${encodeURIComponent(propertyId)}/${day}/review`, { note: reviewNote }),
    onSuccess: refresh,
  });
  return (
    <section className="card" aria-labelledby="ledger-day">
      <h2 id="ledger-day">{t('handover.ledgerDay')}</h2>
      <Field label={t('handover.day')}>
        <input name="ledgerDay" type="date" value={day} onChange={(e) => e.target.value && onDay(e.target.value)} />
      </Field>
      {ledger.data?.entries.length === 0 && <p className="hint">{t('handover.noEntries')}</p>}
      <ol data-testid="ledger-entries">
        {ledger.data?.entries.map((entry) => (
          <EntryCard key={entry.id} entry={entry} onSigned={refresh} />
        ))}
      </ol>
      {ledger.data?.review ? (
        <p data-testid="day-review">
          {t('handover.reviewedBy', { name: ledger.data.review.by.name, at: shown(ledger.data.review.at) })}
          {ledger.data.review.note ? ` — ${ledger.data.review.note}` : ''}
        </p>
      ) : (
        mayReview(me.roleLevel) &&
        (ledger.data?.entryCount ?? 0) > 0 && (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              review.mutate();
            }}
          >
            <Field label={t('handover.reviewNote')} error={fieldError(review.error, 'note')}>
              <input
                name="reviewNote"
                maxLength={1000}
                value={reviewNote}
                onChange={(e) => setReviewNote(e.target.value)}
              />
            </Field>
            <ProblemAlert error={review.error} shownFields={['note']} />
            <button type="submit" disabled={review.isPending}>
              {t('handover.review')}
            </button>
          </form>
        )
      )}
    </section>
  );
}

function EntryCard({ entry, onSigned }: { entry: Entry; onSigned: () => Promise<void> }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const sign = useMutation({
    mutationFn: () => sendJson<Entry>('POST', `/v1/handovers/${encodeURIComponent(entry.id)}/sign`, { note }),
    onSuccess: onSigned,
  });
  const unchecked = entry.checklist.filter((answer) => !answer.checked);
  return (
    <li className="card" data-testid="ledger-entry" data-entry-id={entry.id}>
      <h3>
        {t('handover.entry', { shift: entry.shift.name, from: shown(entry.shift.start), to: shown(entry.shift.end) })}
      </h3>
      <p>
        {t('handover.onShift')}: {entry.onShift.map((member) => member.name).join('、')} ·{' '}
        {t('handover.writtenBy', { name: entry.writtenBy.name })}
      </p>
      <ul>
        {entry.items.map((item) => (
          <li key={item.id}>
            {item.text} —{' '}
            {item.done
              ? t('handover.itemDone', { name: item.doneBy?.name ?? '', at: shown(item.doneAt) })
              : t('handover.itemOpen')}
            {item.note ? ` (${item.note})` : ''}
          </li>
        ))}
      </ul>
      {entry.residentSituations && (
        <p>
          {t('handover.residentSituations')}: {entry.residentSituations}
        </p>
      )}
      {entry.keysAndItems && (
        <p>
          {t('handover.keysAndItems')}: {entry.keysAndItems}
        </p>
      )}
      {entry.notices && (
        <p>
          {t('handover.notices')}: {entry.notices}
        </p>
      )}
      {unchecked.map((answer) => (
        <p key={answer.item} className="hint">
          {t('handover.unchecked', { item: t(`handover.checklistItems.${answer.item}`), note: answer.note })}
        </p>
      ))}
      <details>
        <summary>
          {t('handover.openComplaints')} ({entry.openComplaints.length})
        </summary>
        <OpenComplaints complaints={entry.openComplaints} truncated={entry.openComplaintsTruncated} />
      </details>
      {entry.signed ? (
        <p data-testid="signed">
          {t('handover.signedBy', { name: entry.signed.by.name, at: shown(entry.signed.at) })}
          {entry.signed.note ? ` — ${entry.signed.note}` : ''}
        </p>
      ) : (
        <form
          noValidate
          aria-label={t('handover.sign')}
          onSubmit={(event) => {
            event.preventDefault();
            sign.mutate();
          }}
        >
          <p className="hint">{t('handover.unsigned')}</p>
          <Field label={t('handover.signNote')}>
            <input name="signNote" maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <ProblemAlert error={sign.error} />
          <button type="submit" className="primary" disabled={sign.isPending}>
            {t('handover.sign')}
          </button>
        </form>
      )}
    </li>
  );
}

function MonthLedger({ propertyId, month }: { propertyId: string; month: string }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const path = `/v1/ledgers/${encodeURIComponent(propertyId)}/months/${month}`;
  const ledger = useQuery({
    queryKey: ['handover', 'month', propertyId, month],
    queryFn: () => getJson<LedgerMonth>(path),
  });
  const archive = useMutation({
    mutationFn: () => sendJson<LedgerMonth>('POST', `${path}/archive`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['handover'] }),
  });
  const exported = useMutation({
    mutationFn: (format: 'csv' | 'xlsx') =>
      download(
        `${path}/export`,
        { format, language: i18n.language === 'en' ? 'en' : 'zh-CN' },
        `ledger-${month}.${format}`,
      ),
  });
  const days = ledger.data?.days ?? [];
  return (
    <section className="card" aria-labelledby="ledger-month">
      <h2 id="ledger-month">
        {t('handover.ledgerMonth')} {month}
      </h2>
      <p data-testid="month-state">
        {t('handover.daysReviewed', { reviewed: days.filter((day) => day.review).length, days: days.length })} ·{' '}
        {ledger.data?.archived
          ? t('handover.archivedBy', { name: ledger.data.archived.by.name, at: shown(ledger.data.archived.at) })
          : t('handover.notArchived')}
      </p>
      <DownloadButtons onDownload={(format) => exported.mutate(format)} />
      <ProblemAlert error={exported.error ?? archive.error} />
      {mayReview(me.roleLevel) && !ledger.data?.archived && (
        <button type="button" onClick={() => archive.mutate()} disabled={archive.isPending}>
          {t('handover.archive')}
        </button>
      )}
    </section>
  );
}
