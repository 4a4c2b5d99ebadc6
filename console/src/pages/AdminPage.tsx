import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, sendJson } from '../api/client';
import { useDirectory } from '../api/queries';
import type { ApiKeyView } from '../api/types';
import { Field } from '../components/Field';
import { formText } from '../lib/form';
import { CANNED_REPLIES_QUERY } from './actions';
import { TemplatesAdmin } from './TemplatesAdmin';
import { CalendarForm } from './admin/CalendarForm';
import { PolicyForm } from './admin/PolicyForm';
import { RoutingRulesForm } from './admin/RoutingRulesForm';
import { NotificationSettingsForm } from './admin/NotificationSettingsForm';
import { fieldError, ProblemAlert } from '../components/Problem';

const TABS = [
  'directory',
  'policies',
  'calendars',
  'routing',
  'canned',
  'notifications',
  'templates',
  'webhooks',
  'apiKeys',
] as const;
type Tab = (typeof TABS)[number];

export function AdminPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('directory');
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">{t('admin.title')}</h1>
      <div role="tablist" aria-label={t('admin.title')} className="tabs">
        {TABS.map((name) => (
          <button
            key={name}
            role="tab"
            type="button"
            id={`tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
            onKeyDown={(event) => {
              // WAI-ARIA tabs: arrows move between tabs, Home / End to the first and last.
              const index = TABS.indexOf(name);
              const next =
                event.key === 'ArrowRight'
                  ? TABS[(index + 1) % TABS.length]
                  : event.key === 'ArrowLeft'
                    ? TABS[(index - 1 + TABS.length) % TABS.length]
                    : event.key === 'Home'
                      ? TABS[0]
                      : event.key === 'End'
                        ? TABS[TABS.length - 1]
                        : null;
              if (!next) return;
              event.preventDefault();
              setTab(next);
              document.getElementById(`tab-${next}`)?.focus();
            }}
          >
            {t(`admin.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'directory' && <DirectoryAdmin />}
        {tab === 'policies' && <PolicyForm />}
        {tab === 'calendars' && <CalendarForm />}
        {tab === 'routing' && <RoutingRulesForm />}
        {tab === 'canned' && <CannedReplies />}
        {tab === 'notifications' && <NotificationSettingsForm />}
        {tab === 'templates' && <TemplatesAdmin />}
        {tab === 'webhooks' && <Webhooks />}
        {tab === 'apiKeys' && <ApiKeys />}
      </div>
    </section>
  );
}

function DirectoryAdmin() {
  const { t } = useTranslation();
  const directory = useDirectory();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'regions' | 'properties' | 'departments' | 'staff'>('staff');
  const [id, setId] = useState('');
  const [text, setText] = useState('{}');
  const save = useMutation({
    mutationFn: () => sendJson('PUT', `/v1/admin/${kind}/${encodeURIComponent(id)}`, JSON.parse(text) as unknown),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['directory'] }),
  });
  const data = directory.data;
  const edit = (k: typeof kind, entity: { id: string } & Record<string, unknown>) => {
    const { id: entityId, groupId: _groupId, ...body } = entity;
    setKind(k);
    setId(entityId);
    setText(JSON.stringify(body, null, 2));
  };
  return (
    <div className="admin-directory">
      <ProblemAlert error={directory.error} />
      {data && (
        <>
          <h2>{t('admin.properties')}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">id</th>
                  <th scope="col">{t('field.propertyId')}</th>
                  <th scope="col">code</th>
                  <th scope="col">{t('admin.regions')}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.properties.map((property) => (
                  <tr key={property.id}>
                    <td>{property.id}</td>
                    <td>{property.name}</td>
                    <td>{property.code}</td>
                    <td>{property.regionId}</td>
                    <td>
                      <button type="button" onClick={() => edit('properties', { ...property })}>
                        {t('common.edit')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t('admin.staff')}</h2>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">id</th>
                  <th scope="col">{t('signIn.staff')}</th>
                  <th scope="col">{t('field.level')}</th>
                  <th scope="col">{t('field.department')}</th>
                  <th scope="col">{t('field.propertyId')}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                {data.staff.map((staff) => (
                  <tr key={staff.id}>
                    <td>{staff.id}</td>
                    <td>{staff.name}</td>
                    <td>{t(`enum.level.${staff.roleLevel}`)}</td>
                    <td>{staff.departmentId}</td>
                    <td>{staff.propertyIds.join(', ') || staff.regionId}</td>
                    <td>
                      <button type="button" onClick={() => edit('staff', { ...staff })}>
                        {t('common.edit')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>{t('admin.departments')}</h2>
          <p className="hint">
            {data.departments.map((department) => `${department.name} (${department.id})`).join(' · ')}
          </p>
        </>
      )}
      <form
        className="card"
        aria-labelledby="put-entity"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate();
        }}
      >
        <h2 id="put-entity">
          {t('common.create')} / {t('common.edit')}
        </h2>
        <label>
          {t('admin.directory')}
          <select value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
            {(['regions', 'properties', 'departments', 'staff'] as const).map((value) => (
              <option key={value} value={value}>
                {t(`admin.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <Field label="id">
          <input value={id} onChange={(event) => setId(event.target.value)} required />
        </Field>
        <Field label="JSON">
          <textarea value={text} onChange={(event) => setText(event.target.value)} rows={10} spellCheck={false} />
        </Field>
        <ProblemAlert error={save.error} />
        {save.isSuccess && <p role="status">{t('common.saved')}</p>}
        <button type="submit" className="primary" disabled={!id || save.isPending}>
          {t('common.save')}
        </button>
      </form>
    </div>
  );
}

function CannedReplies() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const stored = useQuery({
    queryKey: CANNED_REPLIES_QUERY,
    queryFn: () => getJson<{ replies: string[] }>('/v1/canned-replies'),
  });
  const [text, setText] = useState<string | undefined>(undefined);
  const save = useMutation({
    mutationFn: (replies: string[]) => sendJson('PUT', '/v1/admin/canned-replies', { replies }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CANNED_REPLIES_QUERY }),
  });
  const shown = text ?? stored.data?.replies.join('\n') ?? '';
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(
          shown
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        );
      }}
    >
      <ProblemAlert error={stored.error ?? save.error} />
      <Field label={t('admin.canned')} hint={t('admin.cannedHint')} error={fieldError(save.error, 'replies')}>
        <textarea value={shown} rows={8} onChange={(event) => setText(event.target.value)} />
      </Field>
      {save.isSuccess && <p role="status">{t('common.saved')}</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </form>
  );
}

interface Subscription {
  id: string;
  url: string;
  events: string[];
}

function Webhooks() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['admin', 'webhooks'],
    queryFn: () => getJson<{ items?: Subscription[]; subscriptions?: Subscription[] }>('/v1/webhooks/subscriptions'),
  });
  const items = list.data?.items ?? list.data?.subscriptions ?? [];
  const create = useMutation({
    mutationFn: (body: { url: string; secret: string; events: string[] }) =>
      sendJson('POST', '/v1/webhooks/subscriptions', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'webhooks'] }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => sendJson('DELETE', `/v1/webhooks/subscriptions/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'webhooks'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const events = formText(form, 'events')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
    create.mutate({ url: formText(form, 'url'), secret: formText(form, 'secret'), events });
  };
  return (
    <div>
      <ProblemAlert error={list.error ?? remove.error} />
      <ul className="plain">
        {items.map((subscription) => (
          <li key={subscription.id}>
            <code>{subscription.url}</code> {subscription.events.join(', ') || '*'}{' '}
            <button type="button" onClick={() => remove.mutate(subscription.id)}>
              {t('common.delete')}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="card">
        <Field label={t('admin.url')} error={fieldError(create.error, 'url')}>
          <input name="url" type="url" required />
        </Field>
        <Field label="secret" error={fieldError(create.error, 'secret')}>
          <input name="secret" minLength={16} required autoComplete="off" />
        </Field>
        <Field label={t('admin.events')} error={fieldError(create.error, 'events')} hint="complaints.v1.registered, …">
          <input name="events" />
        </Field>
        <ProblemAlert error={create.error} shownFields={['url', 'secret', 'events']} />
        <button type="submit" className="primary">
          {t('common.create')}
        </button>
      </form>
    </div>
  );
}

function ApiKeys() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['admin', 'api-keys'],
    queryFn: () => getJson<{ items: ApiKeyView[] }>('/v1/admin/api-keys'),
  });
  const create = useMutation({
    mutationFn: (body: { name: string; propertyIds?: string[] }) =>
      sendJson<ApiKeyView & { secret: string }>('POST', '/v1/admin/api-keys', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'api-keys'] }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => sendJson('DELETE', `/v1/admin/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', 'api-keys'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const properties = formText(form, 'propertyIds')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
    create.mutate({ name: formText(form, 'name'), ...(properties.length ? { propertyIds: properties } : {}) });
  };
  return (
    <div>
      <ProblemAlert error={list.error ?? revoke.error} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">id</th>
              <th scope="col">name</th>
              <th scope="col">{t('field.propertyId')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {(list.data?.items ?? []).map((key) => (
              <tr key={key.id}>
                <td>
                  <code>{key.id}</code>
                </td>
                <td>
                  {key.name} {key.admin ? '(admin)' : ''}
                </td>
                <td>{key.propertyIds?.join(', ') ?? t('common.all')}</td>
                <td>
                  {key.revokedAt ? (
                    '✗'
                  ) : (
                    <button type="button" onClick={() => revoke.mutate(key.id)}>
                      {t('admin.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form onSubmit={submit} className="card">
        <h2>{t('admin.newKey')}</h2>
        <Field label="name" error={fieldError(create.error, 'name')}>
          <input name="name" required />
        </Field>
        <Field label={t('field.propertyId')} hint="sh-mall, sh-tower" error={fieldError(create.error, 'propertyIds')}>
          <input name="propertyIds" />
        </Field>
        <ProblemAlert error={create.error} shownFields={['name', 'propertyIds']} />
        {create.data && (
          <p role="status">
            {t('admin.keyShownOnce')} <code>{create.data.secret}</code>
          </p>
        )}
        <button type="submit" className="primary">
          {t('common.create')}
        </button>
      </form>
    </div>
  );
}
