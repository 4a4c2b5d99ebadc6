import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson } from '../api/client';
import type { Schemas } from '../api/schemas';
import { LoadMore } from '../components/ComplaintTable';
import { ProblemAlert } from '../components/Problem';
import { auditChanges } from '../lib/audit-changes';

type AuditPageView = Schemas['AuditPage'];
type AuditEntry = AuditPageView['items'][number];

const SUBJECTS: AuditEntry['subject'][] = [
  'policy',
  'calendar',
  'routing_rules',
  'notification_settings',
  'notification_template',
  'report_settings',
  'region',
  'property',
  'department',
  'staff',
  'api_key',
  'webhook_subscription',
  'canned_replies',
  'group',
  'report_rebuild',
];

function shown(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changes = auditChanges(entry.before, entry.after);
  if (entry.outcome !== 'done') return null;
  if (changes.length === 0) return <p className="hint">{t('audit.unchanged')}</p>;
  return (
    <table className="audit-changes">
      <thead>
        <tr>
          <th scope="col">{t('audit.field')}</th>
          <th scope="col">{t('audit.before')}</th>
          <th scope="col">{t('audit.after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.path}>
            <th scope="row">{change.path}</th>
            <td>{shown(change.before)}</td>
            <td>{shown(change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Who changed the group's administration, when, and what changed (GET /v1/admin/audit): the
 * newest first, filtered by what was changed; each entry's fields before and after.
 */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [subject, setSubject] = useState('');
  const list = useInfiniteQuery({
    queryKey: ['audit', subject],
    initialPageParam: '',
    queryFn: ({ pageParam }) => getJson<AuditPageView>('/v1/admin/audit', { subject, cursor: pageParam, limit: 50 }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      <p className="hint">{t('audit.intro')}</p>
      <label>
        {t('audit.subject')}
        <select name="subject" value={subject} onChange={(event) => setSubject(event.target.value)}>
          <option value="">{t('audit.everything')}</option>
          {SUBJECTS.map((value) => (
            <option key={value} value={value}>
              {t(`audit.subjects.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <ProblemAlert error={list.error} />
      {list.isLoading && (
        <p aria-busy="true" className="placeholder-block">
          {t('common.loading')}
        </p>
      )}
      {!list.isLoading && entries.length === 0 && <p>{t('audit.empty')}</p>}
      <ol className="plain cards audit-entries">
        {entries.map((entry) => (
          <li key={entry.id} className="card">
            <h2>
              {t(`audit.subjects.${entry.subject}`)}
              {entry.target ? ` · ${entry.target}` : ''}{' '}
              <span className={`badge audit-${entry.outcome}`}>
                {t(`audit.outcomes.${entry.outcome}`)}
                {entry.status ? ` (${entry.status})` : ''}
              </span>
            </h2>
            <p>
              <time dateTime={entry.at}>
                {new Date(entry.at).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'medium' })}
              </time>{' '}
              · {entry.actor.name} ({t(`audit.actors.${entry.actor.kind}`, { defaultValue: entry.actor.kind })}) ·{' '}
              <code>{entry.action}</code>
            </p>
            <Changes entry={entry} />
          </li>
        ))}
      </ol>
      <LoadMore
        hasMore={list.hasNextPage}
        loadingMore={list.isFetchingNextPage}
        loadMore={() => void list.fetchNextPage()}
      />
    </section>
  );
}
