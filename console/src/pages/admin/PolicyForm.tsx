import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_LEVELS, SEVERITIES, URGENCIES, type RoleLevel, type Severity, type Urgency } from '@complaints/domain';
import { getJson, sendJson } from '../../api/client';
import { useDirectory } from '../../api/queries';
import { Field } from '../../components/Field';
import { fieldErrorUnder, namesUnder, ProblemAlert } from '../../components/Problem';
import {
  policyDocument,
  policyFormState,
  type PolicyFormState,
  type PolicyView,
  type SeverityPolicy,
  type TimeLimit,
  type WorkOrderLimits,
} from '../../lib/policy-form';
import { TimeLimitInput } from './TimeLimitInput';

type LimitField = 'firstReply' | 'resolution' | 'callback' | 'callbackRetryAfter' | 'autoUpgradeAfter';
type Row =
  | { kind: 'limit'; field: LimitField }
  | { kind: 'optionalLimit'; field: 'progressUpdateEvery' }
  | { kind: 'level'; field: 'approver' | 'startLevel' }
  | { kind: 'levels'; field: 'notifyOnReceipt' }
  | { kind: 'number'; field: 'callbackAttempts' | 'reminderAt' };

// In the order of SPEC §5's table: the deadlines, then who acts and who is told.
const ROWS: Row[] = [
  { kind: 'limit', field: 'firstReply' },
  { kind: 'limit', field: 'resolution' },
  { kind: 'limit', field: 'callback' },
  { kind: 'number', field: 'callbackAttempts' },
  { kind: 'limit', field: 'callbackRetryAfter' },
  { kind: 'optionalLimit', field: 'progressUpdateEvery' },
  { kind: 'limit', field: 'autoUpgradeAfter' },
  { kind: 'number', field: 'reminderAt' },
  { kind: 'level', field: 'approver' },
  { kind: 'level', field: 'startLevel' },
  { kind: 'levels', field: 'notifyOnReceipt' },
];

// A work order's two times, per urgency: to be there, to be done.
const WORK_ORDER_ROWS = ['arrive', 'complete'] as const;

// What escalation assumes for a policy stored before retries existed.
const DEFAULT_RETRY_AFTER: TimeLimit = { duration: 'PT4H', basis: 'calendar' };
const DEFAULT_ATTEMPTS = 3;

/**
 * Deadline policies as a table like SPEC §5's: a column per severity, for the group, a region or a
 * property. A severity the scope does not set comes from the scope above and is shown greyed.
 */
export function PolicyForm() {
  const { t } = useTranslation();
  const directory = useDirectory();
  const [scope, setScope] = useState('group');
  const [kind, id] = scope.split(':') as ['group' | 'region' | 'property', string | undefined];
  const path =
    kind === 'group'
      ? '/v1/policies'
      : `/v1/policies/${kind === 'region' ? 'regions' : 'properties'}/${encodeURIComponent(id ?? '')}`;
  const current = useQuery({ queryKey: ['admin', path], queryFn: () => getJson<PolicyView>(path) });
  return (
    <div className="policy-form">
      <label>
        {t('policyForm.scope')}{' '}
        <select name="scope" value={scope} onChange={(event) => setScope(event.target.value)}>
          <option value="group">{t('policyForm.group')}</option>
          {(directory.data?.regions ?? []).map((region) => (
            <option key={region.id} value={`region:${region.id}`}>
              {t('policyForm.region')} · {region.name}
            </option>
          ))}
          {(directory.data?.properties ?? []).map((property) => (
            <option key={property.id} value={`property:${property.id}`}>
              {t('policyForm.property')} · {property.name}
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{t(kind === 'group' ? 'policyForm.groupHint' : 'policyForm.scopeHint')}</p>
      <ProblemAlert error={current.error} />
      {current.data && (
        // Keyed by scope only: a refetch (after saving, on window focus) must not throw away edits.
        <PolicyEditor key={path} path={path} view={current.data} kind={kind} />
      )}
    </div>
  );
}

function PolicyEditor({ path, view, kind }: { path: string; view: PolicyView; kind: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [state, setState] = useState<PolicyFormState>(() => policyFormState(view));
  const save = useMutation({
    mutationFn: () => sendJson<PolicyView>('PUT', path, policyDocument(state)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['admin', path] }),
  });
  const setSeverity = (severity: Severity, change: (policy: SeverityPolicy) => SeverityPolicy) =>
    setState((before) => ({
      ...before,
      severities: {
        ...before.severities,
        [severity]: { ...before.severities[severity], policy: change(before.severities[severity].policy) },
      },
    }));
  const setWorkOrders = (urgency: Urgency, change: (entry: { own: boolean; limits: WorkOrderLimits }) => object) =>
    setState((before) => ({
      ...before,
      workOrders: {
        ...before.workOrders,
        [urgency]: { ...before.workOrders[urgency], ...change(before.workOrders[urgency]) },
      },
    }));
  const error = save.error;
  const shown = [
    ...SEVERITIES.flatMap((severity) => ROWS.map((row) => `severities.${severity}.${row.field}`)),
    'letterFirstReply',
    ...URGENCIES.flatMap((urgency) => WORK_ORDER_ROWS.map((field) => `workOrders.${urgency}.${field}`)),
  ];
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <div className="table-wrap">
        <table className="policy-table">
          <thead>
            <tr>
              <th scope="col">{t('policyForm.rule')}</th>
              {SEVERITIES.map((severity) => (
                <th key={severity} scope="col">
                  {t(`enum.severity.${severity}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t(kind === 'group' ? 'policyForm.ownGroup' : 'policyForm.own')}</th>
              {SEVERITIES.map((severity) => (
                <td key={severity}>
                  <label>
                    <input
                      type="checkbox"
                      checked={state.severities[severity].own}
                      onChange={(event) =>
                        setState((before) => ({
                          ...before,
                          severities: {
                            ...before.severities,
                            [severity]: { ...before.severities[severity], own: event.target.checked },
                          },
                        }))
                      }
                    />{' '}
                    {t(`enum.severity.${severity}`)}
                  </label>
                </td>
              ))}
            </tr>
            {ROWS.map((row) => (
              <tr key={row.field}>
                <th scope="row">{t(`policyForm.fields.${row.field}`)}</th>
                {SEVERITIES.map((severity) => {
                  const { own, policy } = state.severities[severity];
                  const label = `${t(`enum.severity.${severity}`)} · ${t(`policyForm.fields.${row.field}`)}`;
                  const cellError = fieldErrorUnder(error, `severities.${severity}.${row.field}`);
                  return (
                    <td key={severity} className={own ? undefined : 'inherited'}>
                      <Cell
                        row={row}
                        label={label}
                        policy={policy}
                        disabled={!own}
                        error={cellError}
                        onChange={(change) => setSeverity(severity, change)}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <fieldset className="card">
        <legend>{t('policyForm.letter')}</legend>
        <label>
          <input
            type="checkbox"
            checked={state.letter.own}
            onChange={(event) =>
              setState((before) => ({ ...before, letter: { ...before.letter, own: event.target.checked } }))
            }
          />{' '}
          {t(kind === 'group' ? 'policyForm.ownGroup' : 'policyForm.own')}
        </label>
        <TimeLimitInput
          label={t('policyForm.letter')}
          value={state.letter.limit}
          disabled={!state.letter.own}
          error={fieldErrorUnder(error, 'letterFirstReply')}
          onChange={(limit) => setState((before) => ({ ...before, letter: { ...before.letter, limit } }))}
        />
      </fieldset>
      <h3>{t('policyForm.workOrders')}</h3>
      <p className="hint">{t('policyForm.workOrdersHint')}</p>
      <div className="table-wrap">
        <table className="policy-table work-order-limits">
          <thead>
            <tr>
              <th scope="col">{t('policyForm.rule')}</th>
              {URGENCIES.map((urgency) => (
                <th key={urgency} scope="col">
                  {t(`enum.urgency.${urgency}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t(kind === 'group' ? 'policyForm.ownGroup' : 'policyForm.own')}</th>
              {URGENCIES.map((urgency) => (
                <td key={urgency}>
                  <label>
                    <input
                      type="checkbox"
                      checked={state.workOrders[urgency].own}
                      onChange={(event) => setWorkOrders(urgency, () => ({ own: event.target.checked }))}
                    />{' '}
                    {t(`enum.urgency.${urgency}`)}
                  </label>
                </td>
              ))}
            </tr>
            {WORK_ORDER_ROWS.map((field) => (
              <tr key={field}>
                <th scope="row">{t(`policyForm.workOrderFields.${field}`)}</th>
                {URGENCIES.map((urgency) => {
                  const { own, limits } = state.workOrders[urgency];
                  return (
                    <td key={urgency} className={own ? undefined : 'inherited'}>
                      <TimeLimitInput
                        label={`${t(`enum.urgency.${urgency}`)} · ${t(`policyForm.workOrderFields.${field}`)}`}
                        value={limits[field]}
                        disabled={!own}
                        error={fieldErrorUnder(error, `workOrders.${urgency}.${field}`)}
                        onChange={(limit) =>
                          setWorkOrders(urgency, (entry) => ({ limits: { ...entry.limits, [field]: limit } }))
                        }
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ProblemAlert error={error} shownFields={namesUnder(error, shown)} />
      {save.isSuccess && <p role="status">{t('common.saved')}</p>}
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('common.save')}
      </button>{' '}
      <button type="button" onClick={() => setState(policyFormState(view))}>
        {t('policyForm.reset')}
      </button>
    </form>
  );
}

function Cell({
  row,
  label,
  policy,
  disabled,
  error,
  onChange,
}: {
  row: Row;
  label: string;
  policy: SeverityPolicy;
  disabled: boolean;
  error: string | undefined;
  onChange: (change: (policy: SeverityPolicy) => SeverityPolicy) => void;
}) {
  const { t } = useTranslation();
  switch (row.kind) {
    case 'limit': {
      const value = policy[row.field] ?? DEFAULT_RETRY_AFTER;
      return (
        <TimeLimitInput
          label={label}
          value={value}
          disabled={disabled}
          error={error}
          onChange={(limit) => onChange((before) => ({ ...before, [row.field]: limit }))}
        />
      );
    }
    case 'optionalLimit': {
      const value = policy.progressUpdateEvery;
      return (
        <div>
          <label>
            <input
              type="checkbox"
              checked={value !== null}
              disabled={disabled}
              onChange={(event) =>
                onChange((before) => ({
                  ...before,
                  progressUpdateEvery: event.target.checked ? { duration: 'P1D', basis: 'calendar' } : null,
                }))
              }
            />{' '}
            {t('policyForm.required')}
          </label>
          {value && (
            <TimeLimitInput
              label={label}
              value={value}
              disabled={disabled}
              error={error}
              onChange={(limit) => onChange((before) => ({ ...before, progressUpdateEvery: limit }))}
            />
          )}
        </div>
      );
    }
    case 'level':
      return (
        <Field label={label} hideLabel error={error}>
          <select
            value={policy[row.field]}
            disabled={disabled}
            onChange={(event) => onChange((before) => ({ ...before, [row.field]: event.target.value as RoleLevel }))}
          >
            {ROLE_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(`enum.level.${level}`)}
              </option>
            ))}
          </select>
        </Field>
      );
    case 'levels':
      return (
        <fieldset className="levels" aria-label={label} disabled={disabled}>
          {ROLE_LEVELS.map((level) => (
            <label key={level}>
              <input
                type="checkbox"
                checked={policy.notifyOnReceipt.includes(level)}
                onChange={(event) =>
                  onChange((before) => ({
                    ...before,
                    notifyOnReceipt: event.target.checked
                      ? ROLE_LEVELS.filter(
                          (candidate) => candidate === level || before.notifyOnReceipt.includes(candidate),
                        )
                      : before.notifyOnReceipt.filter((candidate) => candidate !== level),
                  }))
                }
              />{' '}
              {t(`enum.level.${level}`)}
            </label>
          ))}
          {error && (
            <small className="field-error" role="alert">
              {error}
            </small>
          )}
        </fieldset>
      );
    case 'number':
      return row.field === 'reminderAt' ? (
        <Field label={`${label} (%)`} hideLabel error={error}>
          <input
            type="number"
            min={1}
            max={99}
            value={Math.round(policy.reminderAt * 100)}
            disabled={disabled}
            onChange={(event) => onChange((before) => ({ ...before, reminderAt: Number(event.target.value) / 100 }))}
          />
        </Field>
      ) : (
        <Field label={label} hideLabel error={error}>
          <input
            type="number"
            min={1}
            max={10}
            value={policy.callbackAttempts ?? DEFAULT_ATTEMPTS}
            disabled={disabled}
            onChange={(event) => onChange((before) => ({ ...before, callbackAttempts: Number(event.target.value) }))}
          />
        </Field>
      );
  }
}
