import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sendJson } from '../api/client';
import type { Complaint, Lifecycle, Supervision as SupervisionRecord } from '../api/types';
import { useMe, type Me } from '../auth/session';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';
import { atLeast } from '../lib/allowed-actions';

/**
 * Supervision from above (督办): a property head or higher puts the complaint under supervision
 * with instructions and a due time; the handler answers; the supervisor accepts or sends it back.
 * The forms show to whom they are for; the API stays the judge (its refusals are shown).
 */
export function Supervision({ complaint, lifecycle, me }: { complaint: Complaint; lifecycle: Lifecycle; me: Me }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const current = lifecycle.supervision ?? null;
  const ended = (lifecycle.supervisions ?? []).filter((supervision) => supervision.status === 'accepted');
  const open = !['closed', 'withdrawn'].includes(lifecycle.status);
  const mayGive = atLeast(me.roleLevel, 'property_head');
  if (!current && ended.length === 0 && !(open && mayGive)) return null;
  return (
    <section aria-labelledby="supervision-title" className="card" data-testid="supervision">
      <h2 id="supervision-title">{t('supervision.title')}</h2>
      {current && (
        <>
          <p data-testid="supervision-current">
            {t('supervision.current', {
              n: current.number,
              by: current.by?.name ?? '—',
              status: t(`enum.supervisionStatus.${current.status}`),
              dueAt: when(current.dueAt),
            })}
          </p>
          {current.overdueAt && (
            <p className="overdue" data-testid="supervision-overdue">
              {t('supervision.overdue', { at: when(current.overdueAt) })}
            </p>
          )}
          <p className="prose">{current.instructions}</p>
          <Rounds supervision={current} when={when} />
          {open && current.status !== 'answered' && (
            <SupervisionForm
              id={complaint.id}
              path="supervision/answer"
              field="answer"
              label={t('supervision.answer')}
              submit={t('supervision.sendAnswer')}
            />
          )}
          {open &&
            current.status === 'answered' &&
            (me.staffId === current.by?.id || atLeast(me.roleLevel, current.level)) && (
              <>
                <SupervisionForm id={complaint.id} path="supervision/accept" submit={t('supervision.accept')} />
                <SupervisionForm
                  id={complaint.id}
                  path="supervision/return"
                  field="reason"
                  label={t('supervision.returnReason')}
                  submit={t('supervision.sendBack')}
                />
              </>
            )}
        </>
      )}
      {!current && open && mayGive && <SuperviseForm id={complaint.id} />}
      {ended.length > 0 && (
        <>
          <h3>{t('supervision.history')}</h3>
          <ul className="plain">
            {ended.map((supervision) => (
              <li key={supervision.number}>
                {t('supervision.ended', {
                  n: supervision.number,
                  by: supervision.by?.name ?? '—',
                  at: supervision.acceptedAt ? when(supervision.acceptedAt) : '—',
                  instructions: supervision.instructions,
                })}
                <Rounds supervision={supervision} when={when} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Rounds({ supervision, when }: { supervision: SupervisionRecord; when: (iso: string) => string }) {
  const { t } = useTranslation();
  if (supervision.rounds.length === 0) return null;
  return (
    <ol className="plain">
      {supervision.rounds.map((round, index) => (
        <li key={index}>
          {t('supervision.round', {
            kind: t(round.kind === 'answer' ? 'supervision.answerKind' : 'supervision.returnKind'),
            at: when(round.at),
            by: round.by?.name ?? '—',
            text: round.text,
          })}
        </li>
      ))}
    </ol>
  );
}

function useLifecycleAction(id: string, path: string) {
  const queryClient = useQueryClient();
  const me = useMe();
  return useMutation({
    // The staff member acting is named, as every action of the console names them (a key needs it).
    mutationFn: (body: Record<string, string>) =>
      sendJson('POST', `/v1/complaints/${id}/${path}`, { staffId: me.staffId, ...body }),
    // The timeline's key is under the complaint's: both are read again.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['complaint', id] }),
  });
}

/** One text (or none) and a button: answering, accepting, sending back. */
function SupervisionForm({
  id,
  path,
  field,
  label,
  submit,
}: {
  id: string;
  path: string;
  field?: string;
  label?: string;
  submit: string;
}) {
  const [text, setText] = useState('');
  const action = useLifecycleAction(id, path);
  return (
    <form
      aria-label={submit}
      className="inline-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        action.mutate(field ? { [field]: text } : {}, { onSuccess: () => setText('') });
      }}
    >
      {field && (
        <Field label={label ?? field} error={fieldError(action.error, field)}>
          <textarea name={field} rows={2} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
        </Field>
      )}
      <ProblemAlert error={action.error} shownFields={field ? [field] : []} />
      <button type="submit" disabled={action.isPending}>
        {submit}
      </button>
    </form>
  );
}

function SuperviseForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const [instructions, setInstructions] = useState('');
  const [dueAt, setDueAt] = useState('');
  const action = useLifecycleAction(id, 'supervision');
  return (
    <form
      aria-label={t('supervision.supervise')}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        // The local date-time picked, sent as an instant; an empty one is the API's to refuse.
        const due = dueAt ? new Date(dueAt).toISOString() : '';
        action.mutate({ instructions, dueAt: due }, { onSuccess: () => setInstructions('') });
      }}
    >
      <Field label={t('supervision.instructions')} error={fieldError(action.error, 'instructions')}>
        <textarea
          name="instructions"
          rows={2}
          maxLength={4000}
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
        />
      </Field>
      <Field label={t('supervision.dueAt')} error={fieldError(action.error, 'dueAt')}>
        <input name="dueAt" type="datetime-local" value={dueAt} onChange={(e) => setDueAt(e.target.value)} />
      </Field>
      <ProblemAlert error={action.error} shownFields={['instructions', 'dueAt']} />
      <button type="submit" className="primary" disabled={action.isPending}>
        {t('supervision.supervise')}
      </button>
    </form>
  );
}
