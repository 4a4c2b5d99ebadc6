import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useComplaintList, useWithLifecycle } from '../api/queries';
import type { Lifecycle } from '../api/types';
import { useMe } from '../auth/session';
import { LoadMore } from '../components/ComplaintTable';
import { ProblemAlert } from '../components/Problem';
import { ExtensionDecision } from './ComplaintPage';

function stillWaits(lifecycle: Lifecycle): boolean {
  return (
    lifecycle.status === 'plan_proposed' || lifecycle.extensions.some((extension) => extension.status === 'pending')
  );
}

/**
 * What waits for my decision (a proposed plan, a requested extension my level may approve), as the
 * gateway finds it however many complaints there are; each one read with its lifecycle to decide on.
 */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const list = useComplaintList({ awaitingMyApproval: 'true', actingAs: me.staffId });
  const { complaints, isLoading: loadingDetails, error: detailError } = useWithLifecycle(list.complaints);
  // The list follows events; a complaint read since that shows nothing waiting was just decided.
  const waiting = complaints.filter((complaint) => !complaint.lifecycle || stillWaits(complaint.lifecycle));
  const isLoading = list.isLoading || loadingDetails;
  const error = list.error ?? detailError;
  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t('approvals.title')}</h1>
      <p className="hint">{t('approvals.intro')}</p>
      <ProblemAlert error={error} />
      {isLoading && (
        <p aria-busy="true" className="placeholder-block">
          {t('common.loading')}
        </p>
      )}
      {!isLoading && waiting.length === 0 && <p>{t('approvals.empty')}</p>}
      <ul className="plain cards">
        {waiting.map((complaint) => (
          <li key={complaint.id} className="card">
            <h2>
              <Link to={`/complaints/${complaint.id}`}>{complaint.number}</Link>{' '}
              <span className={`badge severity-${complaint.severity ?? ''}`}>
                {complaint.severity ? t(`enum.severity.${complaint.severity}`) : ''}
              </span>
            </h2>
            <p className="truncate">{complaint.description}</p>
            {complaint.lifecycle?.status === 'plan_proposed' && (
              <p>
                <strong>{t('approvals.plan')}:</strong> {complaint.lifecycle.plan?.text}{' '}
                <Link to={`/complaints/${complaint.id}`}>{t('action.approve_plan')} →</Link>
              </p>
            )}
            {complaint.lifecycle?.extensions
              .filter((extension) => extension.status === 'pending')
              .map((extension) => (
                <ExtensionDecision key={extension.number} complaint={complaint} extension={extension} me={me} />
              ))}
          </li>
        ))}
      </ul>
      <LoadMore {...list} />
    </section>
  );
}
