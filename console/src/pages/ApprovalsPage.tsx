import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useComplaintsWithLifecycle } from '../api/queries';
import type { Complaint } from '../api/types';
import { useMe } from '../auth/session';
import { ProblemAlert } from '../components/Problem';
import { atLeast, DEFAULT_APPROVER } from '../lib/allowed-actions';
import { ExtensionDecision } from './ComplaintPage';

const OPEN = [
  'assigned',
  'acknowledged',
  'investigating',
  'plan_proposed',
  'plan_approved',
  'awaiting_complainant',
  'resolved',
];

/** Whether a complaint waits for this person: a pending extension or a proposed plan their level may decide. */
function waitsFor(complaint: Complaint, level: ReturnType<typeof useMe>['roleLevel']): boolean {
  const lifecycle = complaint.lifecycle;
  if (!lifecycle || !atLeast(level, DEFAULT_APPROVER[lifecycle.severity])) return false;
  return (
    lifecycle.status === 'plan_proposed' || lifecycle.extensions.some((extension) => extension.status === 'pending')
  );
}

export function ApprovalsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { complaints, isLoading, error } = useComplaintsWithLifecycle({
    status: OPEN,
    severity: [],
    propertyId: me.propertyIds,
  });
  const waiting = complaints.filter((complaint) => waitsFor(complaint, me.roleLevel));
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
    </section>
  );
}
