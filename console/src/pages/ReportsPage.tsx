import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { download, getJson } from '../api/client';
import type { Report, StoredReport } from '../api/types';
import { useMe } from '../auth/session';
import { DownloadButtons } from '../components/DownloadButtons';
import { ProblemAlert } from '../components/Problem';
import { dateIn, lastPeriods } from '../lib/periods';
import { trendRows } from '../lib/report-trend';

interface FigureInfo {
  unit: 'count' | 'hours' | 'rate' | 'yuan';
  title: { 'zh-CN': string; en: string };
}

const TREND = 6;
/**
 * Recharts takes the legend's measured height off the plot. Measured while its labels wrapped (the
 * chart laid out narrow, a character a line), the on-time legend took all 260 px: no plot height
 * left, so no value axis and no lines. Capped, it never takes more than two lines.
 */
const LEGEND_STYLE = { maxHeight: 48, overflowY: 'auto' } as const;

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [kind, setKind] = useState<'week' | 'month'>('week');
  const figures = useQuery({
    queryKey: ['report-figures'],
    queryFn: () => getJson<{ figures: Record<string, FigureInfo>; timeZone: string }>('/v1/reports/figures'),
    staleTime: Infinity,
  });
  // No period is asked for before the group's report time zone is known: the browser's day may be another.
  const timeZone = figures.data?.timeZone;
  const periods = timeZone ? lastPeriods(kind, dateIn(timeZone, new Date()), TREND) : [];
  const [key, setKey] = useState<string | null>(null);
  const current = key && periods.includes(key) ? key : periods[periods.length - 1];
  // Widest first: group headquarters start with the group, a property head with their property.
  const defaultScope = me.reportScopes[0]?.scope ?? 'group';
  const [scope, setScope] = useState(defaultScope);
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';

  const reports = useQueries({
    queries: periods.map((period) => ({
      queryKey: ['report', kind, period, scope],
      queryFn: () => getJson<Report>(`/v1/reports/${kind}/${period}`, { scope }),
    })),
  });
  const report = reports[periods.indexOf(current)]?.data;
  const error = reports.find((query) => query.error)?.error;
  const trend = trendRows(periods.map((period, i) => ({ period, figures: reports[i]?.data?.figures })));
  const title = (id: string) => figures.data?.figures[id]?.title[language] ?? id;
  const shownFigures = [
    'received',
    'open',
    'closed',
    'firstReplyOnTimeRate',
    'resolutionOnTimeRate',
    'callbackOnTimeRate',
    'satisfactionRate',
    'reopenRate',
    'firstReplyHoursMedian',
    'resolutionHoursMedian',
  ];
  const format = (id: string, value: unknown) => {
    if (typeof value !== 'number') return '—';
    const unit = figures.data?.figures[id]?.unit;
    if (unit === 'rate') return `${(value * 100).toFixed(1)}%`;
    if (unit === 'hours') return `${value.toFixed(1)} h`;
    if (unit === 'yuan') return `¥${value.toFixed(2)}`;
    return String(value);
  };
  const topCategories = (
    (report?.top as { categories?: { key: string; count: number }[] } | undefined)?.categories ?? []
  ).map((entry) => ({ name: t(`enum.category.${entry.key}`, { defaultValue: entry.key }), count: entry.count }));
  const exportFile = (format: 'csv' | 'xlsx') =>
    void download(`/v1/reports/${kind}/${current}/export`, { scope, format, language }, `report-${current}.${format}`);

  return (
    <section aria-labelledby="reports-title" className="reports">
      <header className="page-header">
        <h1 id="reports-title">{t('reports.title')}</h1>
        <DownloadButtons onDownload={exportFile} />
      </header>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <div role="group" aria-label={t('reports.period')} className="segmented">
          {(['week', 'month'] as const).map((value) => (
            <button key={value} type="button" aria-pressed={kind === value} onClick={() => setKind(value)}>
              {t(`reports.${value}`)}
            </button>
          ))}
        </div>
        <label>
          {t('reports.period')}
          <select value={current} onChange={(event) => setKey(event.target.value)}>
            {periods.map((period) => (
              <option key={period}>{period}</option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.scope')}
          <select value={scope} onChange={(event) => setScope(event.target.value)}>
            {me.reportScopes.map((option) => (
              <option key={option.scope} value={option.scope}>
                {option.scope === 'group' ? t('reports.group') : option.name}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ProblemAlert error={error} />
      <section aria-labelledby="figures-title" className="card">
        <h2 id="figures-title">
          {t('reports.figures')} · {current}
        </h2>
        <dl className="figures" aria-busy={!report}>
          {shownFigures.map((id) => (
            <div key={id} className="figure">
              <dt>{title(id)}</dt>
              <dd data-figure={id}>{report ? format(id, report.figures[id]) : '…'}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div className="charts">
        <Chart title={t('reports.trend')}>
          <LineChart data={trend}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="period" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend wrapperStyle={LEGEND_STYLE} />
            <Line
              type="monotone"
              dataKey="received"
              name={title('received')}
              stroke="#1f5fbf"
              isAnimationActive={false}
            />
            <Line type="monotone" dataKey="closed" name={title('closed')} stroke="#2e8540" isAnimationActive={false} />
          </LineChart>
        </Chart>
        <Chart title={t('reports.onTime')}>
          <LineChart data={trend}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="period" />
            <YAxis domain={[0, 100]} unit="%" />
            <Tooltip />
            <Legend wrapperStyle={LEGEND_STYLE} />
            {/* A rate missing for a period (nothing was due) is a gap; a period alone between gaps shows as its dot. */}
            <Line
              dataKey="firstReply"
              name={title('firstReplyOnTimeRate')}
              stroke="#1f5fbf"
              connectNulls={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="resolution"
              name={title('resolutionOnTimeRate')}
              stroke="#b35c00"
              connectNulls={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="callback"
              name={title('callbackOnTimeRate')}
              stroke="#6b3fa0"
              connectNulls={false}
              isAnimationActive={false}
            />
          </LineChart>
        </Chart>
        <Chart title={t('reports.satisfaction')}>
          <BarChart data={trend}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="period" />
            <YAxis domain={[0, 100]} unit="%" />
            <Tooltip />
            <Bar dataKey="satisfaction" name={title('satisfactionRate')} fill="#2e8540" isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title={t('reports.topCategories')}>
          <BarChart data={topCategories} layout="vertical" margin={{ left: 40 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={120} />
            <Tooltip />
            <Bar dataKey="count" fill="#1f5fbf" isAnimationActive={false} />
          </BarChart>
        </Chart>
      </div>
      <StoredReports scope={scope} />
      <section aria-labelledby="recurring-title" className="card">
        <h2 id="recurring-title">{t('reports.recurring')}</h2>
        {report && report.recurringProblems.length === 0 && <p>{t('reports.noData')}</p>}
        {report && report.recurringProblems.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('field.propertyId')}</th>
                  <th scope="col">{t('field.category')}</th>
                  <th scope="col">{t('field.location')}</th>
                  <th scope="col">#</th>
                </tr>
              </thead>
              <tbody>
                {report.recurringProblems.map((problem, i) => (
                  <tr key={i}>
                    <td>{String(problem.propertyId)}</td>
                    <td>
                      {t(`enum.category.${String(problem.category)}`, { defaultValue: String(problem.category) })}
                    </td>
                    <td>{String(problem.location)}</td>
                    <td>{String(problem.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </section>
  );
}

/** The scope's reports produced on schedule, and whether each reached the heads of the scope by e-mail. */
function StoredReports({ scope }: { scope: string }) {
  const { t, i18n } = useTranslation();
  const stored = useQuery({
    queryKey: ['stored-reports', scope],
    queryFn: () => getJson<{ reports: StoredReport[] }>('/v1/reports/stored', { scope }),
  });
  const reports = stored.data?.reports ?? [];
  const fileOf = (report: StoredReport) =>
    void download(
      `/v1/reports/stored/${report.periodKind}/${report.periodKey}`,
      { scope, format: 'xlsx' },
      `report-${report.periodKey}.xlsx`,
    );
  return (
    <section aria-labelledby="stored-title" className="card">
      <h2 id="stored-title">{t('reports.stored')}</h2>
      <ProblemAlert error={stored.error} />
      {stored.data && reports.length === 0 && <p>{t('reports.noStored')}</p>}
      {reports.length > 0 && (
        <div className="table-wrap">
          <table data-testid="stored-reports">
            <thead>
              <tr>
                <th scope="col">{t('reports.period')}</th>
                <th scope="col">{t('reports.generatedAt')}</th>
                <th scope="col">{t('reports.deliveries')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('reports.download')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {reports.map((report) => (
                <tr key={`${report.periodKind} ${report.periodKey}`} data-period={report.periodKey}>
                  <td>
                    {t(`reports.${report.periodKind}`)} {report.periodKey}
                  </td>
                  <td>
                    <time dateTime={report.generatedAt}>
                      {new Date(report.generatedAt).toLocaleString(i18n.language)}
                    </time>
                  </td>
                  <td>
                    {report.deliveries === null && t('reports.deliveriesUnknown')}
                    {report.deliveries?.length === 0 && t('reports.nobodyToSend')}
                    {report.deliveries && report.deliveries.length > 0 && (
                      <ul className="deliveries">
                        {report.deliveries.map((delivery) => (
                          <li key={delivery.recipientId} data-status={delivery.status}>
                            {delivery.recipientName || delivery.recipientId}{' '}
                            {delivery.address && `<${delivery.address}>`}
                            {' · '}
                            {t(`reports.delivery.${delivery.status}`)}
                            {delivery.reason && `: ${delivery.reason}`}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>
                    <button type="button" onClick={() => fileOf(report)}>
                      XLSX
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure className="card chart">
      <figcaption>{title}</figcaption>
      <div className="chart-box">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
