import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useComplaintsWithLifecycle } from '../api/queries';
import { OPEN_STATUSES, SEVERITIES, STATUSES, type Complaint } from '../api/types';
import { useMe } from '../auth/session';
import { Countdown } from '../components/Countdown';
import { ProblemAlert } from '../components/Problem';
import { atLeast } from '../lib/allowed-actions';
import { byNearestDeadline, nearestDeadline } from '../lib/countdown';

/** Mine: handled by me or registered by me (first-contact ownership, SPEC §2). */
function isMine(complaint: Complaint, staffId: string): boolean {
  return (complaint.lifecycle?.handler ?? complaint.handler)?.id === staffId || complaint.owner?.id === staffId;
}

export function QueuePage() {
  const { t } = useTranslation();
  const me = useMe();
  const mayTeam = me.roleLevel !== 'frontline' && atLeast(me.roleLevel, 'supervisor');
  const [team, setTeam] = useState(false);
  const [status, setStatus] = useState('');
  const [severity, setSeverity] = useState('');
  const [propertyId, setPropertyId] = useState('');
  const { complaints, isLoading, error } = useComplaintsWithLifecycle({
    status: status ? [status] : OPEN_STATUSES,
    severity: severity ? [severity] : [],
    propertyId: propertyId ? [propertyId] : me.propertyIds,
  });
  const shown = complaints.filter((complaint) => team || isMine(complaint, me.staffId)).sort(byNearestDeadline);
  const properties = me.scopeProperties;
  const propertyName = (id: string) => properties.find((property) => property.id === id)?.name ?? id;

  return (
    <section aria-labelledby="queue-title">
      <header className="page-header">
        <h1 id="queue-title">{team ? t('queue.team') : t('queue.title')}</h1>
        {mayTeam && (
          <div role="group" aria-label={t('queue.team')} className="segmented">
            <button type="button" aria-pressed={!team} onClick={() => setTeam(false)}>
              {t('queue.mine')}
            </button>
            <button type="button" aria-pressed={team} onClick={() => setTeam(true)}>
              {t('queue.team')}
            </button>
          </div>
        )}
      </header>
      <form className="filters" aria-label={t('queue.filters')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('field.status')}
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`enum.status.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('field.severity')}
          <select value={severity} onChange={(event) => setSeverity(event.target.value)}>
            <option value="">{t('common.all')}</option>
            {SEVERITIES.map((value) => (
              <option key={value} value={value}>
                {t(`enum.severity.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('field.propertyId')}
          {properties.length > 0 ? (
            <select value={propertyId} onChange={(event) => setPropertyId(event.target.value)}>
              <option value="">{t('common.all')}</option>
              {properties.map((property) => (
                <option key={property.id} value={property.id}>
                  {property.name}
                </option>
              ))}
            </select>
          ) : (
            <input value={propertyId} onChange={(event) => setPropertyId(event.target.value)} />
          )}
        </label>
      </form>
      <ProblemAlert error={error} />
      <p className="hint" aria-live="polite">
        {isLoading ? t('common.loading') : t('queue.count', { count: shown.length })}
      </p>
      <div className="table-wrap">
        <table className="queue" aria-busy={isLoading}>
          <thead>
            <tr>
              <th scope="col">{t('field.number')}</th>
              <th scope="col">{t('queue.nearest')}</th>
              <th scope="col">{t('field.status')}</th>
              <th scope="col">{t('field.severity')}</th>
              <th scope="col">{t('field.propertyId')}</th>
              <th scope="col">{t('field.handler')}</th>
              <th scope="col">{t('field.description')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((complaint) => {
              const nearest = nearestDeadline(complaint);
              return (
                <tr key={complaint.id} className={complaint.overdue ? 'row-overdue' : undefined}>
                  <td>
                    <Link to={`/complaints/${complaint.id}`}>{complaint.number}</Link>
                  </td>
                  <td>
                    {nearest ? <Countdown name={nearest.name} dueAt={nearest.dueAt} /> : '—'}
                    {complaint.overdue && <span className="badge overdue">{t('queue.overdue')}</span>}
                  </td>
                  <td>{t(`enum.status.${complaint.status}`)}</td>
                  <td>
                    {complaint.severity ? (
                      <span className={`badge severity-${complaint.severity}`}>
                        {t(`enum.severity.${complaint.severity}`)}
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{propertyName(complaint.propertyId)}</td>
                  <td>{complaint.lifecycle?.handler?.name ?? '—'}</td>
                  <td className="truncate">{complaint.description}</td>
                </tr>
              );
            })}
            {!isLoading && shown.length === 0 && (
              <tr>
                <td colSpan={7}>{t('queue.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
