import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { download, request, sendJson } from '../api/client';
import { useDirectory } from '../api/queries';
import type { Schemas } from '../api/schemas';
import { ProblemAlert } from '../components/Problem';
import { formText } from '../lib/form';
import type { Staff } from '../api/types';
import { TRADES } from './WorkOrders';

type ImportReport = Schemas['DirectoryImport'];
type Activity = Schemas['Activity'];
type Kind = 'staff' | 'departments' | 'properties';

/** A row's state and its one action: deactivate (with a reason) or reactivate. */
function ActivityCell({ kind, id, inactive }: { kind: Kind; id: string; inactive: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const [handedOn, setHandedOn] = useState<Activity['handedOn'] | null>(null);
  const change = useMutation({
    mutationFn: (reason: string | null) =>
      sendJson<Activity>(
        'POST',
        `/v1/admin/${kind}/${encodeURIComponent(id)}/${reason === null ? 'reactivate' : 'deactivate'}`,
        reason === null ? {} : { reason },
      ),
    onSuccess: async (answer) => {
      setAsking(false);
      setHandedOn(answer.handedOn);
      await queryClient.invalidateQueries({ queryKey: ['directory'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    change.mutate(formText(new FormData(event.currentTarget), 'reason'));
  };
  return (
    <td>
      {inactive ? <span className="badge">{t('directory.inactive')}</span> : t('directory.active')}{' '}
      {inactive ? (
        <button type="button" onClick={() => change.mutate(null)} disabled={change.isPending}>
          {t('directory.reactivate')}
        </button>
      ) : asking ? (
        <form className="inline" onSubmit={submit} aria-label={t('directory.deactivate')}>
          <input
            name="reason"
            required
            maxLength={500}
            placeholder={t('directory.reason')}
            aria-label={t('directory.reason')}
          />
          <button type="submit" disabled={change.isPending}>
            {t('directory.confirm')}
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          {t('directory.deactivate')}
        </button>
      )}
      <ProblemAlert error={change.error} />
      {handedOn && (
        <p className="hint" role="status">
          {t('directory.handedOn', { count: handedOn.length })}
          {handedOn
            .slice(0, 10)
            .map((item) => ` ${item.number} → ${item.handler?.name ?? t('directory.nobody')}`)
            .join(';')}
          {handedOn.length > 10 ? ' …' : ''}
        </p>
      )}
    </td>
  );
}

/**
 * The trades a staff member does (repair work orders are dispatched by them): changed by putting
 * the entry back as the directory holds it, with the new trades.
 */
function TradesCell({ member }: { member: Staff }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const trades = member.trades ?? [];
  const save = useMutation({
    mutationFn: (chosen: Schemas['Staff']['trades']) => {
      const body: Schemas['Staff'] = {
        name: member.name,
        roleLevel: member.roleLevel,
        departmentId: member.departmentId,
        propertyIds: member.propertyIds,
        regionId: member.regionId,
        onDuty: member.onDuty,
        email: member.email,
        mobile: member.mobile,
        wechatOpenId: member.wechatOpenId ?? '',
        language: member.language === 'en' ? 'en' : 'zh-CN',
        trades: chosen,
      };
      return sendJson<unknown>('PUT', `/v1/admin/staff/${encodeURIComponent(member.id)}`, body);
    },
    onSuccess: async () => {
      setEditing(false);
      await queryClient.invalidateQueries({ queryKey: ['directory'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate(TRADES.filter((trade) => form.get(`trade-${trade}`) === 'on'));
  };
  return (
    <td>
      {editing ? (
        <form className="inline" onSubmit={submit} aria-label={t('directory.trades')}>
          {TRADES.map((trade) => (
            <label key={trade} className="inline">
              <input type="checkbox" name={`trade-${trade}`} defaultChecked={trades.includes(trade)} />{' '}
              {t(`enum.trade.${trade}`)}
            </label>
          ))}{' '}
          <button type="submit" disabled={save.isPending}>
            {t('directory.saveTrades')}
          </button>
        </form>
      ) : (
        <>
          {trades.map((trade) => t(`enum.trade.${trade}`)).join(', ')}{' '}
          <button
            type="button"
            onClick={() => setEditing(true)}
            aria-label={t('directory.editTradesOf', { name: member.name })}
          >
            {t('directory.editTrades')}
          </button>
        </>
      )}
      <ProblemAlert error={save.error} />
    </td>
  );
}

/** The import: check the file (every problem by row), then apply it whole. */
function DirectoryImport() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const send = useMutation({
    mutationFn: async (dryRun: boolean) => {
      if (!file) throw new Error(t('directory.chooseFile'));
      const form = new FormData();
      form.append('file', file, file.name);
      const response = await request('POST', `/v1/admin/directory/import?dryRun=${dryRun}`, form);
      return (await response.json()) as ImportReport;
    },
    onSuccess: async (answer) => {
      setReport(answer);
      if (answer.applied) await queryClient.invalidateQueries({ queryKey: ['directory'] });
    },
  });
  return (
    <section className="card" aria-labelledby="directory-import">
      <h2 id="directory-import">{t('directory.import')}</h2>
      <p className="hint">{t('directory.importHint')}</p>
      <input
        type="file"
        name="directoryFile"
        accept=".csv,.xlsx"
        aria-label={t('directory.file')}
        onChange={(event) => {
          setFile(event.target.files?.[0] ?? null);
          setReport(null);
        }}
      />{' '}
      <button type="button" onClick={() => send.mutate(true)} disabled={!file || send.isPending}>
        {t('directory.check')}
      </button>{' '}
      <button
        type="button"
        className="primary"
        onClick={() => send.mutate(false)}
        disabled={!report || !report.dryRun || report.problems.length > 0 || send.isPending}
      >
        {t('directory.apply')}
      </button>
      <ProblemAlert error={send.error} />
      {report && (
        <div role="status" className="import-report">
          <p>
            {t(
              report.applied
                ? 'directory.applied'
                : report.problems.length > 0
                  ? 'directory.refused'
                  : 'directory.wouldApply',
              {
                created: report.created,
                updated: report.updated,
                unchanged: report.unchanged,
              },
            )}
          </p>
          {report.problems.length > 0 && (
            <table className="import-problems">
              <thead>
                <tr>
                  <th scope="col">{t('directory.row')}</th>
                  <th scope="col">{t('directory.field')}</th>
                  <th scope="col">{t('directory.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((problem) => (
                  <tr key={`${problem.row}:${problem.field}`}>
                    <td>{problem.row}</td>
                    <td>{problem.field}</td>
                    <td>{problem.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {report.handedOn.length > 0 && <p>{t('directory.handedOn', { count: report.handedOn.length })}</p>}
        </div>
      )}
    </section>
  );
}

/**
 * The group's directory for its administrators: who works where, deactivation of those who left
 * (their open work handed on by the routing rules), and the whole directory as a file to edit in
 * a spreadsheet and import again.
 */
export function DirectoryPage() {
  const { t } = useTranslation();
  const directory = useDirectory();
  const [showInactive, setShowInactive] = useState(true);
  const data = directory.data;
  const shown = <T extends { inactive?: boolean }>(items: T[]) =>
    items.filter((item) => showInactive || !item.inactive);
  return (
    <section aria-labelledby="directory-title">
      <h1 id="directory-title">{t('directory.title')}</h1>
      <p>
        <button
          type="button"
          onClick={() => void download('/v1/admin/directory/export', { format: 'xlsx' }, 'directory.xlsx')}
        >
          {t('directory.exportXlsx')}
        </button>{' '}
        <button
          type="button"
          onClick={() => void download('/v1/admin/directory/export', { format: 'csv' }, 'directory.csv')}
        >
          {t('directory.exportCsv')}
        </button>{' '}
        <label className="inline">
          <input type="checkbox" checked={showInactive} onChange={(event) => setShowInactive(event.target.checked)} />{' '}
          {t('directory.showInactive')}
        </label>
      </p>
      <DirectoryImport />
      {directory.isLoading && <p aria-busy="true">{t('common.loading')}</p>}
      {data && (
        <>
          <h2>{t('directory.staff')}</h2>
          <table className="directory">
            <tbody>
              {shown(data.staff).map((member) => (
                <tr key={member.id} className={member.inactive ? 'inactive' : undefined}>
                  <th scope="row">{member.name}</th>
                  <td>{member.id}</td>
                  <td>{t(`enum.level.${member.roleLevel}`)}</td>
                  <td>{data.departments.find((department) => department.id === member.departmentId)?.name ?? ''}</td>
                  <TradesCell member={member} />
                  <ActivityCell kind="staff" id={member.id} inactive={member.inactive ?? false} />
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('directory.departments')}</h2>
          <table className="directory">
            <tbody>
              {shown(data.departments).map((department) => (
                <tr key={department.id} className={department.inactive ? 'inactive' : undefined}>
                  <th scope="row">{department.name}</th>
                  <td>{department.id}</td>
                  <td>{data.properties.find((property) => property.id === department.propertyId)?.name ?? ''}</td>
                  <ActivityCell kind="departments" id={department.id} inactive={department.inactive ?? false} />
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('directory.properties')}</h2>
          <table className="directory">
            <tbody>
              {shown(data.properties).map((property) => (
                <tr key={property.id} className={property.inactive ? 'inactive' : undefined}>
                  <th scope="row">{property.name}</th>
                  <td>{property.id}</td>
                  <td>{property.code}</td>
                  <ActivityCell kind="properties" id={property.id} inactive={property.inactive ?? false} />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
