import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { getJson, sendJson } from '../api/client';
import type { Schemas } from '../api/schemas';
import { useMe } from '../auth/session';
import { ProblemAlert } from '../components/Problem';

type CorrectiveAction = Schemas['CorrectiveAction'];
const FILTERS = ['open', 'overdue', 'done', 'verified'] as const;

/**
 * Corrective and preventive actions (纠正与预防措施) in my scope: the owner reports one done,
 * someone else at supervisor level or above verifies it or sends it back.
 */
export function CorrectiveActionsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('open');
  const [mine, setMine] = useState(false);
  const list = useQuery({
    queryKey: ['corrective-actions', status, mine],
    queryFn: () =>
      getJson<{ actions: CorrectiveAction[] }>('/v1/corrective-actions', { status, ...(mine ? { owner: 'me' } : {}) }),
  });
  return (
    <section aria-labelledby="corrective-title">
      <h1 id="corrective-title">{t('corrective.title')}</h1>
      <p className="hint">{t('corrective.intro')}</p>
      <div className="filters">
        <label>
          {t('corrective.status')}{' '}
          <select value={status} onChange={(event) => setStatus(event.target.value as typeof status)}>
            {FILTERS.map((value) => (
              <option key={value} value={value}>
                {t(`corrective.filter.${value}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          <input type="checkbox" checked={mine} onChange={(event) => setMine(event.target.checked)} />{' '}
          {t('corrective.mine')}
        </label>
      </div>
      <ProblemAlert error={list.error} />
      {list.isLoading && <p aria-busy="true">{t('common.loading')}</p>}
      {list.data?.actions.length === 0 && <p>{t('corrective.empty')}</p>}
      <ul className="plain cards">
        {list.data?.actions.map((action) => (
          <ActionCard key={action.id} action={action} />
        ))}
      </ul>
    </section>
  );
}

function ActionCard({ action }: { action: CorrectiveAction }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const step = useMutation({
    mutationFn: (name: 'done' | 'verify' | 'return') =>
      sendJson<CorrectiveAction>('POST', `/v1/corrective-actions/${encodeURIComponent(action.id)}/${name}`, {
        staffId: me.staffId,
        ...(name === 'done' ? { report: text } : name === 'return' ? { reason: text } : text ? { note: text } : {}),
      }),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: ['corrective-actions'] });
    },
  });
  const owner = action.owner.id === me.staffId;
  return (
    <li className="card" data-testid="corrective-action">
      <h2>
        {action.description}{' '}
        <span className={`badge${action.overdue ? ' overdue' : ''}`}>
          {t(`corrective.filter.${action.overdue ? 'overdue' : action.status}`)}
        </span>
      </h2>
      <p>
        {t('corrective.owner', { name: action.owner.name, due: new Date(action.dueAt).toLocaleString() })} ·{' '}
        {t(`corrective.source.${action.source}`)} ·{' '}
        <Link to={`/complaints/${action.complaintId}`}>{t('corrective.complaint')}</Link>
      </p>
      <ul className="plain">
        {action.history
          .filter((entry) => entry.text && entry.step !== 'opened')
          .map((entry) => (
            <li key={`${entry.step}-${entry.at}`}>
              {t(`corrective.step.${entry.step}`)} · {entry.by?.name ?? ''}: {entry.text}
            </li>
          ))}
      </ul>
      {action.status !== 'verified' && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            step.mutate(owner && action.status === 'open' ? 'done' : 'verify');
          }}
        >
          <input
            aria-label={t(owner && action.status === 'open' ? 'corrective.report' : 'corrective.note')}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          {owner && action.status === 'open' && (
            <button type="submit" className="primary" disabled={step.isPending || !text.trim()}>
              {t('corrective.done')}
            </button>
          )}
          {!owner && action.status === 'done' && (
            <>
              <button type="submit" className="primary" disabled={step.isPending}>
                {t('corrective.verify')}
              </button>{' '}
              <button type="button" disabled={step.isPending || !text.trim()} onClick={() => step.mutate('return')}>
                {t('corrective.return')}
              </button>
            </>
          )}
        </form>
      )}
      <ProblemAlert error={step.error} />
    </li>
  );
}
