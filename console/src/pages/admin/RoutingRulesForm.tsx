import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, sendJson } from '../../api/client';
import { useDirectory } from '../../api/queries';
import { CATEGORIES, CHANNELS, SEVERITIES, type Directory } from '../../api/types';
import type { Category, Severity } from '@complaints/domain';
import { Field } from '../../components/Field';
import { fieldError, ProblemAlert } from '../../components/Problem';
import {
  emptyKeywordRule,
  fieldName,
  fieldNames,
  formStateOf,
  moved,
  nextRuleKey,
  propertyDepartmentsState,
  settingsOf,
  type KeywordRuleState,
  type OptionalNumber,
  type RoutingFormState,
  type RoutingSettings,
  type StoredRoutingSettings,
} from '../../lib/routing-rules-form';

const PATH = '/v1/admin/routing-rules';
const QUERY = ['admin', PATH];

interface DepartmentOption {
  kind: string;
  label: string;
}

/**
 * The group's classification rules (SPEC §3) and which department handles which category, as a
 * form. Untouched, it shows what is stored; the first change makes a copy that Save sends whole.
 */
export function RoutingRulesForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const stored = useQuery({ queryKey: QUERY, queryFn: () => getJson<StoredRoutingSettings>(PATH) });
  const directory = useDirectory();
  // null: nothing edited, so a refetch (after a save, or by another admin) shows at once.
  const [edited, setEdited] = useState<RoutingFormState | null>(null);
  const save = useMutation({
    mutationFn: (body: RoutingSettings) => sendJson<RoutingSettings>('PUT', PATH, body),
    onSuccess: async (saved) => {
      queryClient.setQueryData<StoredRoutingSettings>(QUERY, { ...saved, isDefault: false });
      setEdited(null);
      await queryClient.invalidateQueries({ queryKey: QUERY });
    },
  });
  if (!stored.data) {
    return (
      <div className="routing-form">
        <ProblemAlert error={stored.error} />
        {stored.isLoading && <p aria-busy="true">{t('common.loading')}</p>}
      </div>
    );
  }
  const state = edited ?? formStateOf(stored.data);
  const change = (update: (state: RoutingFormState) => RoutingFormState) => setEdited(update(state));
  const error = save.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(settingsOf(state));
  };
  const reset = () => {
    setEdited(null);
    save.reset();
    void stored.refetch();
  };
  return (
    <form className="routing-form" onSubmit={submit} noValidate aria-label={t('admin.routing')}>
      {stored.data.isDefault && <p className="hint">{t('routingForm.usingDefaults')}</p>}
      <KeywordRules
        rules={state.keywordRules}
        onChange={(keywordRules) => change((current) => ({ ...current, keywordRules }))}
        error={error}
        sent={save.variables}
      />
      <fieldset className="card">
        <legend>{t('routingForm.channelSeverities')}</legend>
        <div className="routing-choices">
          {CHANNELS.map((channel) => (
            <Field
              key={channel}
              label={t(`enum.channel.${channel}`)}
              error={fieldError(error, fieldName.channelSeverity(channel))}
            >
              <SeveritySelect
                value={state.channelSeverities[channel]}
                empty={t('routingForm.noSeverity')}
                onChange={(severity) =>
                  change((current) => ({
                    ...current,
                    channelSeverities: { ...current.channelSeverities, [channel]: severity },
                  }))
                }
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t('routingForm.categorySeverities')}</legend>
        <p className="hint">{t('routingForm.categorySeveritiesHint')}</p>
        <div className="routing-choices">
          {CATEGORIES.map((category) => (
            <Field
              key={category}
              label={t(`enum.category.${category}`)}
              error={fieldError(error, fieldName.categorySeverity(category))}
            >
              <SeveritySelect
                value={state.categorySeverities[category]}
                empty={t('routingForm.noSeverity')}
                onChange={(severity) =>
                  change((current) => ({
                    ...current,
                    categorySeverities: { ...current.categorySeverities, [category]: severity },
                  }))
                }
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <fieldset className="card">
        <legend>{t('routingForm.otherRules')}</legend>
        <div className="routing-choices">
          <SwitchableNumber
            label={t('routingForm.lossThresholdCny')}
            hint={t('routingForm.lossThresholdHint')}
            value={state.lossThresholdCny}
            step="any"
            error={fieldError(error, fieldName.lossThresholdCny)}
            onChange={(lossThresholdCny) => change((current) => ({ ...current, lossThresholdCny }))}
          />
          <Field
            label={t('routingForm.anchorTenantSeverity')}
            error={fieldError(error, fieldName.anchorTenantSeverity)}
          >
            <SeveritySelect
              value={state.anchorTenantSeverity}
              empty={t('routingForm.off')}
              onChange={(anchorTenantSeverity) => change((current) => ({ ...current, anchorTenantSeverity }))}
            />
          </Field>
          <SwitchableNumber
            label={t('routingForm.collectiveMinComplainants')}
            hint={t('routingForm.collectiveHint')}
            value={state.collectiveMinComplainants}
            step="1"
            error={fieldError(error, fieldName.collectiveMinComplainants)}
            onChange={(collectiveMinComplainants) => change((current) => ({ ...current, collectiveMinComplainants }))}
          />
        </div>
        <fieldset className="routing-repeats">
          <legend>{t('routingForm.repeats')}</legend>
          <OffSwitch
            name={t('routingForm.repeats')}
            on={state.repeats.on}
            onChange={(on) => change((current) => ({ ...current, repeats: { ...current.repeats, on } }))}
          />
          <div className="routing-choices">
            <Field label={t('routingForm.raiseOneLevelFrom')} error={fieldError(error, fieldName.raiseOneLevelFrom)}>
              <input
                type="number"
                inputMode="numeric"
                step="1"
                value={state.repeats.raiseOneLevelFrom}
                disabled={!state.repeats.on}
                onChange={(event) => {
                  const raiseOneLevelFrom = event.target.value;
                  change((current) => ({ ...current, repeats: { ...current.repeats, raiseOneLevelFrom } }));
                }}
              />
            </Field>
            <Field label={t('routingForm.majorFrom')} error={fieldError(error, fieldName.majorFrom)}>
              <input
                type="number"
                inputMode="numeric"
                step="1"
                value={state.repeats.majorFrom}
                disabled={!state.repeats.on}
                onChange={(event) => {
                  const majorFrom = event.target.value;
                  change((current) => ({ ...current, repeats: { ...current.repeats, majorFrom } }));
                }}
              />
            </Field>
          </div>
        </fieldset>
      </fieldset>
      <Departments
        state={state}
        directory={directory.data ?? null}
        error={error}
        onChange={(update) => change(update)}
      />
      <ProblemAlert error={error} shownFields={fieldNames(state, save.variables)} />
      {save.isSuccess && <p role="status">{t('common.saved')}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('common.save')}
        </button>
        <button type="button" onClick={reset} disabled={save.isPending}>
          {t('routingForm.reset')}
        </button>
      </div>
    </form>
  );
}

function KeywordRules({
  rules,
  onChange,
  error,
  sent,
}: {
  rules: KeywordRuleState[];
  onChange: (rules: KeywordRuleState[]) => void;
  error: unknown;
  /** The body the error answered, to name a refused keyword. */
  sent: RoutingSettings | undefined;
}) {
  const { t } = useTranslation();
  const update = (index: number, patch: Partial<KeywordRuleState>) =>
    onChange(rules.map((rule, at) => (at === index ? { ...rule, ...patch } : rule)));
  // The API refuses keywords one by one (rules.keywordRules.2.keywords.0): all go under the one field.
  const keywordsError = (index: number) => {
    const sentKeywords = sent?.rules.keywordRules[index]?.keywords ?? [];
    const reasons = [
      fieldError(error, fieldName.rule(index, 'keywords')),
      ...sentKeywords.map((keyword, at) => {
        const reason = fieldError(error, fieldName.keyword(index, at));
        return reason && `“${keyword}”: ${reason}`;
      }),
    ].filter((reason) => reason !== undefined);
    return reasons.length > 0 ? reasons.join('; ') : undefined;
  };
  return (
    <fieldset className="card">
      <legend>{t('routingForm.keywordRules')}</legend>
      <p className="hint">{t('routingForm.keywordRulesHint')}</p>
      <ol className="keyword-rules">
        {rules.map((rule, index) => {
          const name = t('routingForm.rule', { number: index + 1 });
          return (
            <li key={rule.key}>
              <fieldset>
                <legend>
                  {name} {rule.id && <code>{rule.id}</code>}
                </legend>
                <div className="routing-choices">
                  <Field
                    label={t('routingForm.id')}
                    hint={t('routingForm.idHint')}
                    error={fieldError(error, fieldName.rule(index, 'id'))}
                  >
                    <input
                      value={rule.id}
                      spellCheck={false}
                      onChange={(event) => update(index, { id: event.target.value })}
                    />
                  </Field>
                  <Field
                    label={t('routingForm.description')}
                    error={fieldError(error, fieldName.rule(index, 'description'))}
                  >
                    <input
                      value={rule.description}
                      onChange={(event) => update(index, { description: event.target.value })}
                    />
                  </Field>
                  <Field label={t('routingForm.category')} error={fieldError(error, fieldName.rule(index, 'category'))}>
                    <select
                      value={rule.category}
                      onChange={(event) => update(index, { category: event.target.value as Category | '' })}
                    >
                      <option value="">{t('routingForm.notSet')}</option>
                      {CATEGORIES.map((category) => (
                        <option key={category} value={category}>
                          {t(`enum.category.${category}`)}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field
                    label={t('routingForm.minSeverity')}
                    error={fieldError(error, fieldName.rule(index, 'minSeverity'))}
                  >
                    <SeveritySelect
                      value={rule.minSeverity}
                      empty={t('routingForm.notSet')}
                      onChange={(minSeverity) => update(index, { minSeverity })}
                    />
                  </Field>
                </div>
                <Field
                  label={t('routingForm.keywords')}
                  hint={t('routingForm.keywordsHint')}
                  error={keywordsError(index)}
                >
                  <textarea
                    value={rule.keywords}
                    rows={2}
                    onChange={(event) => update(index, { keywords: event.target.value })}
                  />
                </Field>
                <div className="actions" role="group" aria-label={name}>
                  <button type="button" disabled={index === 0} onClick={() => onChange(moved(rules, index, -1))}>
                    {t('routingForm.moveUp')}
                  </button>
                  <button
                    type="button"
                    disabled={index === rules.length - 1}
                    onClick={() => onChange(moved(rules, index, 1))}
                  >
                    {t('routingForm.moveDown')}
                  </button>
                  <button type="button" onClick={() => onChange(rules.filter((_, at) => at !== index))}>
                    {t('routingForm.remove')}
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => onChange([...rules, emptyKeywordRule(nextRuleKey(rules))])}>
        {t('routingForm.addRule')}
      </button>
    </fieldset>
  );
}

function Departments({
  state,
  directory,
  error,
  onChange,
}: {
  state: RoutingFormState;
  directory: Directory | null;
  error: unknown;
  onChange: (update: (state: RoutingFormState) => RoutingFormState) => void;
}) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState('');
  const kindLabel = (kind: string) => t(`enum.department.${kind}`, { defaultValue: kind });
  // The map holds department kinds; assignment picks the property's department of that kind.
  // Without the directory (not readable by this sign-in), the kinds the map already uses.
  const usedKinds = [
    ...Object.values(state.departmentDefault),
    ...state.propertyDepartments.flatMap(({ byCategory }) => Object.values(byCategory)),
  ].filter((kind) => kind !== '');
  const groupKinds = distinct(directory ? directory.departments.map((department) => department.kind) : usedKinds).map(
    (kind): DepartmentOption => ({ kind, label: kindLabel(kind) }),
  );
  const propertyKinds = (propertyId: string): DepartmentOption[] => {
    if (!directory) return groupKinds;
    const here = directory.departments.filter((department) => department.propertyId === propertyId);
    return distinct(here.map((department) => department.kind)).map((kind) => ({
      kind,
      label: here.find((department) => department.kind === kind && !department.inactive)?.name ?? kindLabel(kind),
    }));
  };
  const propertyName = (propertyId: string) =>
    directory?.properties.find((property) => property.id === propertyId)?.name ?? propertyId;
  const overridden = new Set(state.propertyDepartments.map(({ propertyId }) => propertyId));
  const addable = (directory?.properties ?? []).filter((property) => !overridden.has(property.id));
  const addProperty = adding && !overridden.has(adding) ? adding : (addable[0]?.id ?? '');
  const setProperty = (propertyId: string, category: Category, kind: string) =>
    onChange((current) => ({
      ...current,
      propertyDepartments: current.propertyDepartments.map((entry) =>
        entry.propertyId === propertyId ? { ...entry, byCategory: { ...entry.byCategory, [category]: kind } } : entry,
      ),
    }));
  return (
    <fieldset className="card">
      <legend>{t('routingForm.departments')}</legend>
      <p className="hint">{t('routingForm.departmentsHint')}</p>
      <fieldset>
        <legend>{t('routingForm.groupDefault')}</legend>
        <div className="routing-choices">
          {CATEGORIES.map((category) => (
            <Field
              key={category}
              label={t(`enum.category.${category}`)}
              error={fieldError(error, fieldName.departmentDefault(category))}
            >
              <DepartmentSelect
                value={state.departmentDefault[category]}
                options={groupKinds}
                empty={t('routingForm.unmapped')}
                onChange={(kind) =>
                  onChange((current) => ({
                    ...current,
                    departmentDefault: { ...current.departmentDefault, [category]: kind },
                  }))
                }
              />
            </Field>
          ))}
        </div>
      </fieldset>
      <h3>{t('routingForm.propertyOverrides')}</h3>
      {state.propertyDepartments.map(({ propertyId, byCategory }) => (
        <fieldset key={propertyId}>
          <legend>
            {propertyName(propertyId)} <code>{propertyId}</code>
          </legend>
          <div className="routing-choices">
            {CATEGORIES.map((category) => {
              const inherited = state.departmentDefault[category];
              return (
                <Field
                  key={category}
                  label={t(`enum.category.${category}`)}
                  error={fieldError(error, fieldName.propertyDepartment(propertyId, category))}
                >
                  <DepartmentSelect
                    value={byCategory[category]}
                    options={propertyKinds(propertyId)}
                    empty={
                      inherited
                        ? t('routingForm.inheritGroupAs', { department: kindLabel(inherited) })
                        : t('routingForm.inheritGroup')
                    }
                    onChange={(kind) => setProperty(propertyId, category, kind)}
                  />
                </Field>
              );
            })}
          </div>
          <button
            type="button"
            onClick={() =>
              onChange((current) => ({
                ...current,
                propertyDepartments: current.propertyDepartments.filter((entry) => entry.propertyId !== propertyId),
              }))
            }
          >
            {t('routingForm.removeProperty')}
          </button>
        </fieldset>
      ))}
      {addable.length > 0 && (
        <div className="actions">
          <label className="inline">
            {t('routingForm.property')}{' '}
            <select value={addProperty} onChange={(event) => setAdding(event.target.value)}>
              {addable.map((property) => (
                <option key={property.id} value={property.id}>
                  {property.name}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            onClick={() =>
              onChange((current) => ({
                ...current,
                propertyDepartments: [...current.propertyDepartments, propertyDepartmentsState(addProperty)],
              }))
            }
          >
            {t('routingForm.addProperty')}
          </button>
        </div>
      )}
    </fieldset>
  );
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

/** '' is the empty choice, named by `empty` (none, off, group default). Field gives it its id. */
function SeveritySelect({
  value,
  empty,
  onChange,
  ...field
}: {
  value: Severity | '';
  empty: string;
  onChange: (value: Severity | '') => void;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  const { t } = useTranslation();
  return (
    <select {...field} value={value} onChange={(event) => onChange(event.target.value as Severity | '')}>
      <option value="">{empty}</option>
      {SEVERITIES.map((severity) => (
        <option key={severity} value={severity}>
          {t(`enum.severity.${severity}`)}
        </option>
      ))}
    </select>
  );
}

function DepartmentSelect({
  value,
  options,
  empty,
  onChange,
  ...field
}: {
  value: string;
  options: DepartmentOption[];
  empty: string;
  onChange: (kind: string) => void;
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  const { t } = useTranslation();
  // A stored kind the directory does not have (yet) stays selectable, so saving keeps it.
  const missing = value !== '' && !options.some((option) => option.kind === value);
  return (
    <select {...field} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">{empty}</option>
      {options.map((option) => (
        <option key={option.kind} value={option.kind}>
          {option.label}
        </option>
      ))}
      {missing && <option value={value}>{t('routingForm.notInDirectory', { kind: value })}</option>}
    </select>
  );
}

/** A number a checkbox switches off (null in the API). */
function SwitchableNumber({
  label,
  hint,
  value,
  step,
  error,
  onChange,
}: {
  label: string;
  hint: string;
  value: OptionalNumber;
  step: string;
  error: string | undefined;
  onChange: (value: OptionalNumber) => void;
}) {
  return (
    <div className="routing-switchable">
      <Field label={label} hint={hint} error={error}>
        <input
          type="number"
          inputMode={step === 'any' ? 'decimal' : 'numeric'}
          step={step}
          value={value.value}
          disabled={!value.on}
          onChange={(event) => onChange({ ...value, value: event.target.value })}
        />
      </Field>
      <OffSwitch name={label} on={value.on} onChange={(on) => onChange({ ...value, on })} />
    </div>
  );
}

function OffSwitch({ name, on, onChange }: { name: string; on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation();
  return (
    <label className="inline">
      {/* Several "Off" boxes share the page: the name says which rule this one switches. */}
      <input
        type="checkbox"
        checked={!on}
        aria-label={`${t('routingForm.off')}: ${name}`}
        onChange={(event) => onChange(!event.target.checked)}
      />{' '}
      {t('routingForm.off')}
    </label>
  );
}
