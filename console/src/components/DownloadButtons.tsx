import { useTranslation } from 'react-i18next';

/** "Download CSV" and "Download XLSX", for a report or the ledger of a list. */
export function DownloadButtons(props: { onDownload: (format: 'csv' | 'xlsx') => void }) {
  const { t } = useTranslation();
  return (
    <div className="actions">
      <button type="button" onClick={() => props.onDownload('csv')}>
        {t('reports.download')} CSV
      </button>
      <button type="button" onClick={() => props.onDownload('xlsx')}>
        {t('reports.download')} XLSX
      </button>
    </div>
  );
}
