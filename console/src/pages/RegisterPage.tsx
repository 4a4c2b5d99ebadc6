import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiProblem, request, sendJson } from '../api/client';
import type { RegisterComplaint } from '../api/schemas';
import { useColleagues, useComplaint } from '../api/queries';
import { CATEGORIES, CHANNELS, COMPLAINANT_TYPES, SEVERITIES } from '../api/types';
import { useMe } from '../auth/session';
import { Countdown } from '../components/Countdown';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';
import { DEADLINE_NAMES } from '../lib/countdown';
import { formText } from '../lib/form';

interface Registered {
  id: string;
  number: string;
  status: string;
}

const SHOWN_FIELDS = [
  'channel',
  'propertyId',
  'complainant.name',
  'complainant.contact',
  'complainant.type',
  'complainant.unit',
  'location',
  'description',
  'demand',
  'requestedBy',
  'incidentAt',
  'referral',
  'referral.agency',
  'referral.ticketNumber',
  'involvedDepartment',
  'involvedStaff',
  'involvedStaffId',
  'serviceItem',
  'firstContactAnswer',
  'coComplainantCount',
];

/** Registration of a phone call or walk-in (SPEC §2), then its classification and deadlines at once. */
export function RegisterPage() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [firstContact, setFirstContact] = useState(false);
  const [confidential, setConfidential] = useState(false);
  const [channel, setChannel] = useState('phone');
  const idempotencyKey = useRef(crypto.randomUUID());

  // Their own properties first (a property head's one), else every property they see.
  const own = me.scopeProperties.filter((property) => me.propertyIds.includes(property.id));
  const properties = own.length > 0 ? own : me.scopeProperties;
  const [propertyId, setPropertyId] = useState(properties[0]?.id ?? me.propertyIds[0] ?? '');

  const register = useMutation({
    mutationFn: async (form: FormData): Promise<Registered> => {
      const body: RegisterComplaint = {
        propertyId: formText(form, 'propertyId'),
        channel: formText(form, 'channel') as RegisterComplaint['channel'],
        complainant: {
          name: formText(form, 'name'),
          contact: formText(form, 'contact'),
          type: formText(form, 'type') as RegisterComplaint['complainant']['type'],
          unit: formText(form, 'unit'),
          anchorTenant: form.get('anchorTenant') === 'on',
        },
        location: formText(form, 'location'),
        description: formText(form, 'description'),
        demand: formText(form, 'demand'),
        // The browser's local date and time, sent with its offset.
        ...(formText(form, 'requestedBy')
          ? { requestedBy: new Date(formText(form, 'requestedBy')).toISOString() }
          : {}),
        ...(formText(form, 'incidentAt') ? { incidentAt: new Date(formText(form, 'incidentAt')).toISOString() } : {}),
        // The referring body's own ticket, so the reply goes back under it (blank: left to the API to refuse).
        ...(channel === 'government_referral' && (formText(form, 'referralAgency') || formText(form, 'referralTicket'))
          ? { referral: { agency: formText(form, 'referralAgency'), ticketNumber: formText(form, 'referralTicket') } }
          : {}),
        involvedDepartment: formText(form, 'involvedDepartment'),
        involvedStaff: formText(form, 'involvedStaff'),
        ...(formText(form, 'involvedStaffId') ? { involvedStaffId: formText(form, 'involvedStaffId') } : {}),
        serviceItem: formText(form, 'serviceItem'),
        coComplainantCount: Number(formText(form, 'coComplainantCount') || 0),
        confidential,
        confidentialStaffIds: confidential ? form.getAll('confidentialStaffIds').map(String) : [],
        language: 'zh-CN',
        ...(formText(form, 'severityHint')
          ? { severityHint: formText(form, 'severityHint') as RegisterComplaint['severityHint'] }
          : {}),
        ...(formText(form, 'categoryHint')
          ? { categoryHint: formText(form, 'categoryHint') as RegisterComplaint['categoryHint'] }
          : {}),
        resolvedAtFirstContact: firstContact,
        firstContactAnswer: firstContact ? formText(form, 'firstContactAnswer') : '',
      };
      const registered = (await (
        await request('POST', '/v1/complaints', body, { 'idempotency-key': idempotencyKey.current })
      ).json()) as Registered;
      const files = form.getAll('attachments').filter((file): file is File => file instanceof File && file.size > 0);
      for (const file of files) {
        const upload = new FormData();
        upload.append('file', file);
        await sendJson('POST', `/v1/complaints/${registered.id}/attachments`, upload);
      }
      return registered;
    },
    onSuccess: () => {
      idempotencyKey.current = crypto.randomUUID();
      void queryClient.invalidateQueries({ queryKey: ['complaints'] });
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    register.mutate(new FormData(event.currentTarget));
  };
  const error = (name: string) => fieldError(register.error, name);

  if (register.data) {
    return (
      <RegisteredSummary
        registered={register.data}
        onAnother={() => {
          register.reset();
          setFirstContact(false);
          setConfidential(false);
        }}
      />
    );
  }

  return (
    <section aria-labelledby="register-title">
      <h1 id="register-title">{t('register.title')}</h1>
      <p className="hint">{t('register.intro')}</p>
      <form ref={formRef} onSubmit={submit} className="form-grid" noValidate>
        <fieldset>
          <legend>{t('complaint.facts')}</legend>
          <Field label={t('field.channel')} error={error('channel')}>
            <select name="channel" value={channel} onChange={(event) => setChannel(event.target.value)}>
              {CHANNELS.map((channel) => (
                <option key={channel} value={channel}>
                  {t(`enum.channel.${channel}`)}
                </option>
              ))}
            </select>
          </Field>
          {channel === 'government_referral' && (
            <>
              <Field label={t('field.referralAgency')} error={error('referral.agency') ?? error('referral')}>
                <input name="referralAgency" maxLength={200} placeholder="12345" />
              </Field>
              <Field label={t('field.referralTicket')} error={error('referral.ticketNumber')}>
                <input name="referralTicket" maxLength={64} />
              </Field>
            </>
          )}
          <Field label={t('field.propertyId')} error={error('propertyId')}>
            {properties.length > 0 ? (
              <select name="propertyId" value={propertyId} onChange={(event) => setPropertyId(event.target.value)}>
                {properties.map((property) => (
                  <option key={property.id} value={property.id}>
                    {property.name}
                  </option>
                ))}
              </select>
            ) : (
              <input
                name="propertyId"
                value={propertyId}
                onChange={(event) => setPropertyId(event.target.value)}
                required
              />
            )}
          </Field>
          <Field label={t('field.location')} error={error('location')}>
            <input name="location" maxLength={500} />
          </Field>
          <Field label={t('field.description')} error={error('description')} className="wide">
            <textarea name="description" rows={4} maxLength={10_000} required />
          </Field>
          <Field label={t('field.demand')} error={error('demand')} className="wide">
            <textarea name="demand" rows={2} maxLength={5_000} />
          </Field>
          <Field label={t('field.requestedBy')} error={error('requestedBy')}>
            <input name="requestedBy" type="datetime-local" />
          </Field>
          <Field label={t('field.incidentAt')} error={error('incidentAt')}>
            <input name="incidentAt" type="datetime-local" />
          </Field>
          <Field label={t('field.involvedDepartment')} error={error('involvedDepartment')}>
            <input name="involvedDepartment" maxLength={200} />
          </Field>
          <InvolvedStaff propertyId={propertyId} error={error('involvedStaffId')} />
          <Field label={t('field.involvedStaff')} error={error('involvedStaff')}>
            <input name="involvedStaff" maxLength={200} placeholder={t('register.involvedStaffHint')} />
          </Field>
          <Field label={t('field.serviceItem')} error={error('serviceItem')}>
            <input name="serviceItem" maxLength={200} />
          </Field>
          <Field label={t('field.severityHint')}>
            <select name="severityHint" defaultValue="">
              <option value="">—</option>
              {SEVERITIES.map((severity) => (
                <option key={severity} value={severity}>
                  {t(`enum.severity.${severity}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('field.categoryHint')}>
            <select name="categoryHint" defaultValue="">
              <option value="">—</option>
              {CATEGORIES.map((category) => (
                <option key={category} value={category}>
                  {t(`enum.category.${category}`)}
                </option>
              ))}
            </select>
          </Field>
        </fieldset>
        <fieldset>
          <legend>{t('complaint.complainant')}</legend>
          <Field label={t('field.complainantName')} error={error('complainant.name')}>
            <input name="name" maxLength={100} required autoComplete="off" />
          </Field>
          <Field label={t('field.contact')} error={error('complainant.contact')}>
            <input name="contact" maxLength={100} required autoComplete="off" inputMode="tel" />
          </Field>
          <Field label={t('field.complainantType')} error={error('complainant.type')}>
            <select name="type" defaultValue="consumer">
              {COMPLAINANT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`enum.complainantType.${type}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('field.unit')} error={error('complainant.unit')}>
            <input name="unit" maxLength={100} />
          </Field>
          <Field label={t('field.coComplainantCount')} error={error('coComplainantCount')}>
            <input name="coComplainantCount" type="number" min={0} defaultValue={0} />
          </Field>
          <div className="checks">
            <label>
              <input type="checkbox" name="anchorTenant" /> {t('field.anchorTenant')}
            </label>
            <label>
              <input
                type="checkbox"
                name="confidential"
                checked={confidential}
                onChange={(event) => setConfidential(event.target.checked)}
              />{' '}
              {t('field.confidential')}
            </label>
          </div>
          {confidential && <ConfidentialStaff propertyId={propertyId} />}
          <Field label={t('field.attachments')}>
            <input type="file" name="attachments" multiple />
          </Field>
        </fieldset>
        <fieldset className="wide">
          <label>
            <input
              type="checkbox"
              name="resolvedAtFirstContact"
              checked={firstContact}
              onChange={(event) => setFirstContact(event.target.checked)}
            />{' '}
            {t('field.resolvedAtFirstContact')}
          </label>
          {firstContact && (
            <Field label={t('field.firstContactAnswer')} error={error('firstContactAnswer')}>
              <textarea name="firstContactAnswer" rows={2} required />
            </Field>
          )}
        </fieldset>
        <div className="wide">
          <ProblemAlert error={register.error} shownFields={SHOWN_FIELDS} />
        </div>
        <div className="actions wide">
          <button type="submit" className="primary" disabled={register.isPending}>
            {register.isPending ? t('register.saving') : t('register.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function RegisteredSummary({ registered, onAnother }: { registered: Registered; onAnother: () => void }) {
  const { t } = useTranslation();
  const complaint = useComplaint(registered.id);
  const data = complaint.data;
  return (
    <section aria-labelledby="registered-title" className="card">
      <div role="status">
        <h1 id="registered-title">{t('register.saved', { number: registered.number })}</h1>
      </div>
      <h2>{t('register.classification')}</h2>
      {complaint.error instanceof ApiProblem && <ProblemAlert error={complaint.error} />}
      {data?.status === 'closed' && data.resolvedAtFirstContact ? (
        <p>{t('register.closedAtFirstContact')}</p>
      ) : data?.lifecycle ? (
        <dl className="facts">
          <dt>{t('field.severity')}</dt>
          <dd data-testid="severity">{t(`enum.severity.${data.lifecycle.severity}`)}</dd>
          <dt>{t('field.category')}</dt>
          <dd>{data.category ? t(`enum.category.${data.category}`) : '—'}</dd>
          <dt>{t('field.handler')}</dt>
          <dd>{data.lifecycle.handler?.name ?? '—'}</dd>
          <dt>{t('field.deadlines')}</dt>
          <dd>
            <ul className="plain">
              {DEADLINE_NAMES.filter((name) => data.lifecycle?.[name]).map((name) => (
                <li key={name}>
                  <Countdown name={name} dueAt={data.lifecycle?.[name] ?? null} />
                </li>
              ))}
            </ul>
          </dd>
        </dl>
      ) : (
        <p aria-busy="true" className="placeholder-block">
          {t('register.waiting')}
        </p>
      )}
      <div className="actions">
        <Link className="button primary" to={`/complaints/${registered.id}`}>
          {t('register.open')}
        </Link>
        <button type="button" onClick={onAnother}>
          {t('register.another')}
        </button>
      </div>
    </section>
  );
}

/**
 * Who may see a confidential complaint (保密服务) besides the person registering it and its
 * handler, who always may: staff of the chosen property, ticked by name.
 */
function ConfidentialStaff({ propertyId }: { propertyId: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const colleagues = useColleagues(propertyId);
  const others = (colleagues.data?.staff ?? []).filter((member) => member.id !== me.staffId);
  return (
    <fieldset className="confidential-staff" aria-describedby="confidential-hint">
      <legend>{t('register.confidentialStaff')}</legend>
      <p id="confidential-hint" className="hint">
        {t('register.confidentialHint')}
      </p>
      {colleagues.isLoading && <p className="hint">{t('common.loading')}</p>}
      {others.map((member) => (
        <label key={member.id}>
          <input type="checkbox" name="confidentialStaffIds" value={member.id} /> {member.name}
          <span className="hint">
            {' '}
            {t(`enum.level.${member.roleLevel}`)}
            {member.department ? ` · ${member.department.name}` : ''}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

/** The staff member complained about, picked from the property's staff when the complainant named one. */
function InvolvedStaff({ propertyId, error }: { propertyId: string; error: string | undefined }) {
  const { t } = useTranslation();
  const colleagues = useColleagues(propertyId);
  return (
    <Field label={t('field.involvedStaffId')} error={error}>
      <select name="involvedStaffId" defaultValue="" key={propertyId}>
        <option value="">{t('register.involvedStaffUnknown')}</option>
        {(colleagues.data?.staff ?? []).map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
            {member.department ? ` · ${member.department.name}` : ''}
          </option>
        ))}
      </select>
    </Field>
  );
}
