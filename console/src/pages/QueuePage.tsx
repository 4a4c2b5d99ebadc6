import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../api/client';
import { useComplaintList } from '../api/queries';
import { OPEN_STATUSES, SEVERITIES, STATUSES } from '../api/types';
import { useMe } from '../auth/session';
import { DownloadButtons } from '../components/DownloadButtons';
import { ComplaintTable } from '../components/ComplaintTable';
import { atLeast } from '../lib/allowed-actions';

/**
 * My queue (handled or owned by me, SPEC §2) or my team's, as the gateway keeps them: nearest
 * deadline first, every page of them however many there are.
 */
export function QueuePage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const mayTeam = me.roleLevel !== 'frontline' && atLeast(me.roleLevel, 'supervisor');
  const [team, setTeam] = useState(false);
  const [status, setStatus] = useState('');
  const [severity, setSeverity] = useState('');
  const [propertyId, setPropertyId] = useState('');
  const params = {
    ...(team ? { team: 'true' } : { assignedTo: 'me' }),
    // The developer sign-in is an API key: it names whose queue this is (a staff sign-in is that person).
    actingAs: me.staffId,
    status: status ? [status] : OPEN_STATUSES,
    severity: severity ? [severity] : [],
    propertyId: propertyId ? [propertyId] : [],
  };
  const list = useComplaintList(params);
  // The ledger (台账) of the same queue and filters, every page of it.
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const exportFile = (format: 'csv' | 'xlsx') =>
    void download('/v1/complaints/export', { ...params, format, language }, `complaints.${format}`);
  const properties = me.scopeProperties;

  return (
    <section aria-labelledby="queue-title">
      <header className="page-header">
        <h1 id="queue-title">{team ? t('queue.team') : t('queue.title')}</h1>
        <DownloadButtons onDownload={exportFile} />
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
      <ComplaintTable {...list} label={team ? t('queue.team') : t('queue.title')} />
    </section>
  );
}
