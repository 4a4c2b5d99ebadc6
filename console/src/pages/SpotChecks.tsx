import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sendJson } from '../api/client';
import type { Complaint } from '../api/types';
import type { Me } from '../auth/session';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';

const VERDICTS = ['conforming', 'nonconforming'] as const;

/**
 * Quality spot checks (品质部抽查) of a closed complaint: the list, and for the quality
 * department's staff the form (verdict, findings, follow-up required).
 */
export function SpotChecks({ complaint, me }: { complaint: Complaint; me: Me }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [verdict, setVerdict] = useState<(typeof VERDICTS)[number]>('conforming');
  const [findings, setFindings] = useState('');
  const [followUp, setFollowUp] = useState('');
  const record = useMutation({
    mutationFn: () =>
      // Signed in or through a key (developer sign-in), the checker is named: a key needs it.
      sendJson('POST', `/v1/complaints/${complaint.id}/spot-checks`, {
        staffId: me.staffId,
        verdict,
        findings,
        ...(followUp.trim() ? { followUp } : {}),
      }),
    onSuccess: () => {
      setFindings('');
      setFollowUp('');
      return queryClient.invalidateQueries({ queryKey: ['complaint', complaint.id] });
    },
  });
  const checks = complaint.spotChecks ?? [];
  const mayCheck = complaint.status === 'closed' && me.departmentKind === 'quality';
  if (checks.length === 0 && !mayCheck) return null;
  return (
    <section aria-labelledby="spot-checks-title" className="card" data-testid="spot-checks">
      <h2 id="spot-checks-title">{t('spotCheck.title')}</h2>
      {checks.length === 0 ? (
        <p>{t('spotCheck.none')}</p>
      ) : (
        <ul className="plain">
          {checks.map((check, index) => (
            <li key={index}>
              {t('spotCheck.item', {
                verdict: t(`enum.spotCheckVerdict.${check.verdict}`),
                at: new Date(check.at).toLocaleString(i18n.language),
                by: check.by?.name ?? '—',
                findings: check.findings,
              })}
              {check.followUp && <p className="prose">{t('spotCheck.followUp', { followUp: check.followUp })}</p>}
            </li>
          ))}
        </ul>
      )}
      {mayCheck && (
        <form
          aria-label={t('spotCheck.record')}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            record.mutate();
          }}
        >
          <Field label={t('spotCheck.verdict')} error={fieldError(record.error, 'verdict')}>
            <select
              name="verdict"
              value={verdict}
              onChange={(e) => setVerdict(e.target.value as (typeof VERDICTS)[number])}
            >
              {VERDICTS.map((value) => (
                <option key={value} value={value}>
                  {t(`enum.spotCheckVerdict.${value}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('spotCheck.findings')} error={fieldError(record.error, 'findings')}>
            <textarea
              name="findings"
              rows={3}
              maxLength={4000}
              value={findings}
              onChange={(e) => setFindings(e.target.value)}
            />
          </Field>
          <Field label={t('spotCheck.followUpField')} error={fieldError(record.error, 'followUp')}>
            <textarea
              name="followUp"
              rows={2}
              maxLength={4000}
              value={followUp}
              onChange={(e) => setFollowUp(e.target.value)}
            />
          </Field>
          <ProblemAlert error={record.error} shownFields={['verdict', 'findings', 'followUp']} />
          {record.isSuccess && <p role="status">{t('spotCheck.recorded')}</p>}
          <button type="submit" className="primary" disabled={record.isPending}>
            {t('spotCheck.record')}
          </button>
        </form>
      )}
    </section>
  );
}
