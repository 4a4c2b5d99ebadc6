import { useMutation, useQuery, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RECIPIENTS, TEMPLATES, TRIGGERS } from '@complaints/domain';
import { getJson, sendJson } from '../../api/client';
import { Field } from '../../components/Field';
import { fieldError, ProblemAlert } from '../../components/Problem';
import {
  documentFromForm,
  fieldNames,
  formFromDocument,
  nextId,
  RULE_CHANNELS,
  templatesFree,
  toggleChannel,
  type CodeRow,
  type NotificationSettingsDocument,
  type NotificationSettingsFormState,
  type NotificationSettingsRead,
  type RuleRow,
} from '../../lib/notification-settings-form';

const PATH = '/v1/admin/notification-settings';
const QUERY = ['admin', PATH];

/** The parts of the form that are a group of fields, changed a field or two at a time. */
type FormPart = 'quietHours' | 'digest' | 'retry' | 'email' | 'sms' | 'wechat';

type Save = UseMutationResult<unknown, Error, NotificationSettingsDocument>;

/**
 * The group's notification settings as a form: the rules table, quiet hours, the daily digest,
 * retries and the providers' accounts. The wording (TemplatesAdmin) is sent back as read.
 */
export function NotificationSettingsForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const current = useQuery({ queryKey: QUERY, queryFn: () => getJson<NotificationSettingsRead>(PATH) });
  // The form starts again from the stored settings only after a save or a reset: a refetch on its
  // own (the window regaining focus) must not throw away what is being typed.
  const [generation, setGeneration] = useState(0);
  const save: Save = useMutation({
    mutationFn: (document: NotificationSettingsDocument) => sendJson<unknown>('PUT', PATH, document),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: QUERY });
      setGeneration((count) => count + 1);
    },
  });
  const reset = async () => {
    save.reset();
    await current.refetch();
    setGeneration((count) => count + 1);
  };
  return (
    <div className="notification-settings">
      <ProblemAlert error={current.error} />
      {current.isLoading && <p aria-busy="true">{t('common.loading')}</p>}
      {current.data && <SettingsForm key={generation} read={current.data} save={save} onReset={() => void reset()} />}
    </div>
  );
}

/** `list` and, if the document holds a value this console does not know (a newer server), that value too. */
function withValue<T extends string>(list: readonly T[], value: T): readonly T[] {
  return list.includes(value) ? list : [...list, value];
}

function SettingsForm({ read, save, onReset }: { read: NotificationSettingsRead; save: Save; onReset: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<NotificationSettingsFormState>(() => formFromDocument(read));
  const error = save.error;
  const update = <K extends FormPart>(part: K, patch: Partial<NotificationSettingsFormState[K]>) =>
    setForm((state) => ({ ...state, [part]: Object.assign({}, state[part], patch) }));
  const updateRule = (id: number, patch: Partial<RuleRow>) =>
    setForm((state) => ({
      ...state,
      rules: state.rules.map((rule) => (rule.id === id ? { ...rule, ...patch } : rule)),
    }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(documentFromForm(form));
  };
  const f = (key: string, options?: Record<string, unknown>) => t(`notificationForm.${key}`, options);
  const ruleLabel = (index: number, field: string) => f('ruleLabel', { n: index + 1, field: f(field) });

  return (
    <form onSubmit={submit} aria-label={t('admin.notifications')} className="notification-settings-form">
      {read.isDefault && <p className="hint">{f('isDefault')}</p>}

      <fieldset className="card">
        <legend>{f('rules')}</legend>
        <p className="hint">{f('rulesHint')}</p>
        {form.restoreShippedRules ? (
          <p>
            {f('restorePending')}{' '}
            <button type="button" onClick={() => setForm((state) => ({ ...state, restoreShippedRules: false }))}>
              {f('keepRules')}
            </button>
          </p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="rules-table">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">{f('when')}</th>
                    <th scope="col">{f('to')}</th>
                    <th scope="col">{f('template')}</th>
                    <th scope="col">{f('channels')}</th>
                    <th scope="col" />
                  </tr>
                </thead>
                <tbody>
                  {form.rules.map((rule, index) => (
                    <tr key={rule.id}>
                      <td>{index + 1}</td>
                      <td>
                        <Field label={ruleLabel(index, 'when')} error={fieldError(error, `rules.${index}.on`)}>
                          <select
                            value={rule.on}
                            onChange={(event) => updateRule(rule.id, { on: event.target.value as RuleRow['on'] })}
                          >
                            {withValue(TRIGGERS, rule.on).map((value) => (
                              <option key={value} value={value}>
                                {f(`trigger.${value}`, { defaultValue: value })}
                              </option>
                            ))}
                          </select>
                        </Field>
                      </td>
                      <td>
                        <Field label={ruleLabel(index, 'to')} error={fieldError(error, `rules.${index}.to`)}>
                          <select
                            value={rule.to}
                            onChange={(event) => updateRule(rule.id, { to: event.target.value as RuleRow['to'] })}
                          >
                            {withValue(RECIPIENTS, rule.to).map((value) => (
                              <option key={value} value={value}>
                                {f(`recipient.${value}`, { defaultValue: value })}
                              </option>
                            ))}
                          </select>
                        </Field>
                      </td>
                      <td>
                        <Field
                          label={ruleLabel(index, 'template')}
                          error={fieldError(error, `rules.${index}.template`)}
                        >
                          <select
                            value={rule.template}
                            onChange={(event) =>
                              updateRule(rule.id, { template: event.target.value as RuleRow['template'] })
                            }
                          >
                            {withValue(TEMPLATES, rule.template).map((value) => (
                              <option key={value} value={value}>
                                {f(`templates.${value}`, { defaultValue: value })}
                              </option>
                            ))}
                          </select>
                        </Field>
                      </td>
                      <td>
                        <Field
                          label={ruleLabel(index, 'channels')}
                          error={fieldError(error, `rules.${index}.channels`)}
                        >
                          <div role="group" aria-label={ruleLabel(index, 'channels')} className="checks">
                            {RULE_CHANNELS.map((channel) => (
                              <label key={channel} className="inline">
                                <input
                                  type="checkbox"
                                  checked={rule.channels.includes(channel)}
                                  onChange={(event) =>
                                    updateRule(rule.id, {
                                      channels: toggleChannel(rule.channels, channel, event.target.checked),
                                    })
                                  }
                                />
                                {f(`channel.${channel}`)}
                              </label>
                            ))}
                          </div>
                        </Field>
                      </td>
                      <td>
                        <button
                          type="button"
                          aria-label={f('removeRule', { n: index + 1 })}
                          onClick={() =>
                            setForm((state) => ({ ...state, rules: state.rules.filter((row) => row.id !== rule.id) }))
                          }
                        >
                          {t('common.delete')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {form.rules.length === 0 && <p className="hint">{f('noRules')}</p>}
            <div className="actions">
              <button
                type="button"
                onClick={() =>
                  setForm((state) => ({
                    ...state,
                    // The server names a rule without a channel; nothing is ticked for the user.
                    rules: [
                      ...state.rules,
                      {
                        id: nextId(state.rules),
                        on: TRIGGERS[0],
                        to: RECIPIENTS[0],
                        template: TEMPLATES[0],
                        channels: [],
                      },
                    ],
                  }))
                }
              >
                {f('addRule')}
              </button>
              <button type="button" onClick={() => setForm((state) => ({ ...state, restoreShippedRules: true }))}>
                {f('restoreRules')}
              </button>
            </div>
          </>
        )}
      </fieldset>

      <div className="form-grid">
        <fieldset>
          <legend>{f('quietHours')}</legend>
          <Field label={f('quietHoursOn')} error={fieldError(error, 'quietHours')} className="check">
            <input
              type="checkbox"
              checked={form.quietHours.on}
              onChange={(event) => update('quietHours', { on: event.target.checked })}
            />
          </Field>
          {form.quietHours.on && (
            <>
              <Field label={f('start')} error={fieldError(error, 'quietHours.start')}>
                <input
                  type="time"
                  required
                  value={form.quietHours.start}
                  onChange={(event) => update('quietHours', { start: event.target.value })}
                />
              </Field>
              <Field label={f('end')} error={fieldError(error, 'quietHours.end')}>
                <input
                  type="time"
                  required
                  value={form.quietHours.end}
                  onChange={(event) => update('quietHours', { end: event.target.value })}
                />
              </Field>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>{f('digest')}</legend>
          <Field label={f('digestAt')} error={fieldError(error, 'digest.at')}>
            <input
              type="time"
              required
              value={form.digest.at}
              onChange={(event) => update('digest', { at: event.target.value })}
            />
          </Field>
          <Field label={f('timeZone')} hint={f('timeZoneHint')} error={fieldError(error, 'digest.timeZone')}>
            <input
              required
              value={form.digest.timeZone}
              onChange={(event) => update('digest', { timeZone: event.target.value })}
            />
          </Field>
        </fieldset>

        <fieldset>
          <legend>{f('retry')}</legend>
          {(['maxAttempts', 'initialBackoffSeconds', 'maxBackoffSeconds'] as const).map((key) => (
            <Field key={key} label={f(key)} error={fieldError(error, `retry.${key}`)}>
              <input
                type="number"
                min={1}
                step={1}
                required
                value={form.retry[key]}
                onChange={(event) => update('retry', { [key]: event.target.value })}
              />
            </Field>
          ))}
        </fieldset>

        <fieldset>
          <legend>{f('email')}</legend>
          <Field label={f('emailOn')} error={fieldError(error, 'email')} className="check">
            <input
              type="checkbox"
              checked={form.email.on}
              onChange={(event) => update('email', { on: event.target.checked })}
            />
          </Field>
          {form.email.on && (
            <>
              <Field label={f('smtpUrl')} hint={f('smtpUrlHint')} error={fieldError(error, 'email.smtpUrl')}>
                <input
                  required
                  autoComplete="off"
                  spellCheck={false}
                  value={form.email.smtpUrl}
                  onChange={(event) => update('email', { smtpUrl: event.target.value })}
                />
              </Field>
              <Field label={f('from')} error={fieldError(error, 'email.from')}>
                <input
                  required
                  value={form.email.from}
                  onChange={(event) => update('email', { from: event.target.value })}
                />
              </Field>
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>{f('sms')}</legend>
          <Field label={f('smsOn')} error={fieldError(error, 'sms')} className="check">
            <input
              type="checkbox"
              checked={form.sms.on}
              onChange={(event) => update('sms', { on: event.target.checked })}
            />
          </Field>
          {form.sms.on && (
            <>
              <Field label={f('provider')}>
                <input value={form.sms.provider} readOnly />
              </Field>
              <Field label={f('endpoint')} error={fieldError(error, 'sms.endpoint')}>
                <input
                  type="url"
                  required
                  value={form.sms.endpoint}
                  onChange={(event) => update('sms', { endpoint: event.target.value })}
                />
              </Field>
              <Field label={f('accessKeyId')} error={fieldError(error, 'sms.accessKeyId')}>
                <input
                  required
                  autoComplete="off"
                  value={form.sms.accessKeyId}
                  onChange={(event) => update('sms', { accessKeyId: event.target.value })}
                />
              </Field>
              <Field
                label={f('accessKeySecret')}
                hint={f('secretHint')}
                error={fieldError(error, 'sms.accessKeySecret')}
              >
                <input
                  type="password"
                  required
                  autoComplete="new-password"
                  value={form.sms.accessKeySecret}
                  onChange={(event) => update('sms', { accessKeySecret: event.target.value })}
                />
              </Field>
              <Field label={f('signName')} error={fieldError(error, 'sms.signName')}>
                <input
                  required
                  value={form.sms.signName}
                  onChange={(event) => update('sms', { signName: event.target.value })}
                />
              </Field>
              <CodeRows
                title={f('smsCodes')}
                codeLabel={f('smsCode')}
                rows={form.sms.templates}
                errorOf={(row) => fieldError(error, `sms.templates.${row.template}`)}
                onChange={(templates) => update('sms', { templates })}
              />
            </>
          )}
        </fieldset>

        <fieldset>
          <legend>{f('wechat')}</legend>
          <Field label={f('wechatOn')} error={fieldError(error, 'wechat')} className="check">
            <input
              type="checkbox"
              checked={form.wechat.on}
              onChange={(event) => update('wechat', { on: event.target.checked })}
            />
          </Field>
          {form.wechat.on && (
            <>
              <Field label={f('apiBase')} hint={f('apiBaseHint')} error={fieldError(error, 'wechat.apiBase')}>
                <input
                  type="url"
                  value={form.wechat.apiBase}
                  onChange={(event) => update('wechat', { apiBase: event.target.value })}
                />
              </Field>
              <Field label={f('appId')} error={fieldError(error, 'wechat.appId')}>
                <input
                  required
                  autoComplete="off"
                  value={form.wechat.appId}
                  onChange={(event) => update('wechat', { appId: event.target.value })}
                />
              </Field>
              <Field label={f('appSecret')} hint={f('secretHint')} error={fieldError(error, 'wechat.appSecret')}>
                <input
                  type="password"
                  required
                  autoComplete="new-password"
                  value={form.wechat.appSecret}
                  onChange={(event) => update('wechat', { appSecret: event.target.value })}
                />
              </Field>
              <CodeRows
                title={f('wechatCodes')}
                codeLabel={f('wechatCode')}
                rows={form.wechat.templates}
                errorOf={(row) => fieldError(error, `wechat.templates.${row.template}`)}
                onChange={(templates) => update('wechat', { templates })}
              />
            </>
          )}
        </fieldset>
      </div>

      <ProblemAlert error={error} shownFields={fieldNames(form)} />
      {save.isSuccess && <p role="status">{t('common.saved')}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onReset} disabled={save.isPending}>
          {f('reset')}
        </button>
      </div>
    </form>
  );
}

/** A provider's codes for the platform's templates: one row per template, each template once. */
function CodeRows({
  title,
  codeLabel,
  rows,
  errorOf,
  onChange,
}: {
  title: string;
  codeLabel: string;
  rows: CodeRow[];
  errorOf: (row: CodeRow) => string | undefined;
  onChange: (rows: CodeRow[]) => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = (key: string, options?: Record<string, unknown>) => t(`notificationForm.${key}`, options);
  const templateName = (template: string) => f(`templates.${template}`, { defaultValue: template });
  const free = templatesFree(TEMPLATES, rows, undefined);
  const change = (id: number, patch: Partial<CodeRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  return (
    <div className="code-rows">
      <h3>{title}</h3>
      {rows.map((row, index) => (
        <div key={row.id} className="code-row">
          <Field label={f('codeTemplate', { n: index + 1 })}>
            <select value={row.template} onChange={(event) => change(row.id, { template: event.target.value })}>
              {templatesFree(TEMPLATES, rows, row).map((template) => (
                <option key={template} value={template}>
                  {templateName(template)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={`${codeLabel} (${templateName(row.template)})`} error={errorOf(row)}>
            <input required value={row.code} onChange={(event) => change(row.id, { code: event.target.value })} />
          </Field>
          <button
            type="button"
            aria-label={f('removeCode', { template: templateName(row.template) })}
            onClick={() => onChange(rows.filter((other) => other.id !== row.id))}
          >
            {t('common.delete')}
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={free.length === 0}
        onClick={() => {
          const [template] = free;
          if (template !== undefined) onChange([...rows, { id: nextId(rows), template, code: '' }]);
        }}
      >
        {f('addCode')}
      </button>
    </div>
  );
}
