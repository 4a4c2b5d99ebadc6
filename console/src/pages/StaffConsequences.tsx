import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONSEQUENCE_MEASURE_NAMES,
  CONSEQUENCE_MEASURES,
  MONEY_MEASURES,
  type ConsequenceMeasure,
} from '@complaints/domain';
import { sendJson } from '../api/client';
import { useColleagues } from '../api/queries';
import type { Schemas } from '../api/schemas';
import type { Complaint } from '../api/types';
import { useMe } from '../auth/session';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';
import { atLeast } from '../lib/allowed-actions';
import { formText } from '../lib/form';

const SHOWN_FIELDS = ['staffId', 'measure', 'amount', 'reason'];
/** Decided once the complaint was resolved: the facts are known then. */
const DECIDED = ['resolved', 'callback_done', 'closed'];

/**
 * Rewards and penalties decided for staff after the complaint (奖惩): the list, and for a
 * supervisor or above the form; the API refuses a measure above the decider's level, or a
 * colleague at their level or above, and the refusal shows here.
 */
export function StaffConsequences({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [measure, setMeasure] = useState<ConsequenceMeasure>('verbal_warning');
  const mayDecide = atLeast(me.roleLevel, 'supervisor') && DECIDED.includes(complaint.status);
  const colleagues = useColleagues(complaint.propertyId, mayDecide);
  const decide = useMutation({
    mutationFn: (body: Schemas['StaffConsequence']) =>
      sendJson<Complaint>('POST', `/v1/complaints/${encodeURIComponent(complaint.id)}/staff-consequences`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['complaint', complaint.id] }),
  });
  if (complaint.consequences.length === 0 && !mayDecide) return null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    decide.mutate({
      staffId: formText(form, 'staffId'),
      measure,
      // Left out when empty: the API then says the measure needs one.
      ...(MONEY_MEASURES.includes(measure) && formText(form, 'amount') ? { amount: formText(form, 'amount') } : {}),
      reason: formText(form, 'reason'),
    });
  };
  const error = (name: string) => fieldError(decide.error, name);
  return (
    <section aria-labelledby="consequences-title" className="consequences">
      <h3 id="consequences-title">{t('consequence.title')}</h3>
      {complaint.consequences.length > 0 && (
        <ul data-testid="consequences">
          {complaint.consequences.map((consequence) => (
            <li key={`${consequence.decidedAt}-${consequence.staff.id}-${consequence.measure}`}>
              <strong>{consequence.staff.name}</strong>: {t(`consequence.measure.${consequence.measure}`)}
              {consequence.amount ? ` ¥${consequence.amount}` : ''} — {consequence.reason}
              <span className="hint">
                {' '}
                {t('consequence.decidedBy', {
                  name: consequence.decidedBy?.name ?? '—',
                  level: t(`enum.level.${consequence.decidedLevel}`),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {mayDecide && (
        <form onSubmit={submit} className="form-grid" noValidate aria-label={t('consequence.record')}>
          <Field label={t('consequence.staff')} error={error('staffId')}>
            <select name="staffId" defaultValue={complaint.involvedStaffId ?? ''}>
              <option value="">—</option>
              {(colleagues.data?.staff ?? [])
                .filter((member) => member.id !== me.staffId)
                .map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.name} · {t(`enum.level.${member.roleLevel}`)}
                  </option>
                ))}
            </select>
          </Field>
          <Field label={t('consequence.measureLabel')} error={error('measure')}>
            <select
              name="measure"
              value={measure}
              onChange={(event) => setMeasure(event.target.value as ConsequenceMeasure)}
            >
              {CONSEQUENCE_MEASURE_NAMES.map((name) => (
                <option key={name} value={name}>
                  {t(`consequence.measure.${name}`)} ({t(`consequence.kind.${CONSEQUENCE_MEASURES[name].kind}`)})
                </option>
              ))}
            </select>
          </Field>
          {MONEY_MEASURES.includes(measure) && (
            <Field label={t('consequence.amount')} error={error('amount')}>
              <input name="amount" inputMode="decimal" maxLength={12} />
            </Field>
          )}
          <Field label={t('consequence.reason')} error={error('reason')} className="wide">
            <input name="reason" maxLength={2_000} />
          </Field>
          <div className="wide">
            <ProblemAlert error={decide.error} shownFields={SHOWN_FIELDS} />
            {decide.isSuccess && <p role="status">{t('consequence.saved')}</p>}
          </div>
          <div className="actions wide">
            <button type="submit" className="primary" disabled={decide.isPending}>
              {t('consequence.record')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
