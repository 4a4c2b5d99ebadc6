import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useComplaintList } from '../api/queries';
import { ComplaintTable } from '../components/ComplaintTable';

/**
 * What the top bar's search box found: complaints whose number starts with the text, whose
 * complainant has that contact, or whose texts hold every word of it; newest first, within the
 * signed-in person's scope.
 */
export function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const list = useComplaintList({ q }, q !== '');
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{q ? t('search.resultsFor', { q }) : t('search.title')}</h1>
      {q ? (
        <ComplaintTable {...list} label={t('search.title')} empty={t('search.none')} />
      ) : (
        <p className="hint">{t('search.hint')}</p>
      )}
    </section>
  );
}
