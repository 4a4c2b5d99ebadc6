import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Complaint } from '../api/types';
import { useMe } from '../auth/session';
import { nearestDeadline } from '../lib/countdown';
import { Countdown } from './Countdown';
import { ProblemAlert } from './Problem';

/** A page-at-a-time list of complaints as the gateway sorted it (queue, search), with "more" below. */
export function ComplaintTable(props: {
  complaints: Complaint[];
  isLoading: boolean;
  error: unknown;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  label: string;
  /** What an empty list says (the queue's "nothing waiting" by default). */
  empty?: string;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const propertyName = (id: string) => me.scopeProperties.find((property) => property.id === id)?.name ?? id;
  const { complaints, isLoading } = props;
  return (
    <>
      <ProblemAlert error={props.error} />
      <p className="hint" aria-live="polite">
        {isLoading
          ? t('common.loading')
          : t(props.hasMore ? 'queue.countMore' : 'queue.count', { count: complaints.length })}
      </p>
      <div className="table-wrap">
        <table className="queue" aria-busy={isLoading} aria-label={props.label}>
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
            {complaints.map((complaint) => {
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
                  <td>{complaint.handler?.name || '—'}</td>
                  <td className="truncate">{complaint.description}</td>
                </tr>
              );
            })}
            {!isLoading && complaints.length === 0 && (
              <tr>
                <td colSpan={7}>{props.empty ?? t('queue.empty')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <LoadMore {...props} />
    </>
  );
}

/** The next page of a list, while there is one. */
export function LoadMore(props: { hasMore: boolean; loadingMore: boolean; loadMore: () => void }) {
  const { t } = useTranslation();
  if (!props.hasMore) return null;
  return (
    <button type="button" onClick={props.loadMore} disabled={props.loadingMore}>
      {props.loadingMore ? t('common.loading') : t('queue.more')}
    </button>
  );
}
