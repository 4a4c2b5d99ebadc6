import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sendJson } from '../api/client';
import { useColleagues } from '../api/queries';
import type { Schemas } from '../api/schemas';
import type { Complaint } from '../api/types';
import { useMe } from '../auth/session';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';
import { formText } from '../lib/form';

type CorrectComplaint = Schemas['CorrectComplaint'];

const SHOWN_FIELDS = [
  'reason',
  'propertyId',
  'location',
  'description',
  'demand',
  'complainant.name',
  'complainant.contact',
  'complainant.unit',
  'involvedStaffId',
];
const FINAL = ['closed', 'withdrawn', 'merged'];

/**
 * Correcting what was registered wrongly (the property, the complainant's name, contact or
 * unit, location, description, demand), with a reason. Only what differs from the record is
 * sent; the complainant's fields start empty because the page shows them masked.
 */
export function CorrectionForm({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const colleagues = useColleagues(complaint.propertyId, open);
  const correct = useMutation({
    mutationFn: (body: CorrectComplaint) =>
      sendJson<Complaint>('POST', `/v1/complaints/${encodeURIComponent(complaint.id)}/corrections`, body),
    onSuccess: () => {
      setOpen(false);
      void queryClient.invalidateQueries({ queryKey: ['complaint', complaint.id] });
    },
  });
  if (FINAL.includes(complaint.status)) return null;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const changed = (name: 'propertyId' | 'location' | 'description' | 'demand') => {
      const value = formText(form, name);
      return value !== complaint[name] ? { [name]: value } : {};
    };
    const given = (name: string) => formText(form, name) || undefined;
    const complainant = { name: given('name'), contact: given('contact'), unit: given('unit') };
    correct.mutate({
      reason: formText(form, 'reason'),
      ...changed('propertyId'),
      ...changed('location'),
      ...changed('description'),
      ...changed('demand'),
      ...(Object.values(complainant).some((value) => value !== undefined) ? { complainant } : {}),
      ...(formText(form, 'involvedStaffId') !== (complaint.involvedStaffId ?? '')
        ? { involvedStaffId: formText(form, 'involvedStaffId') }
        : {}),
    });
  };
  const error = (name: string) => fieldError(correct.error, name);

  if (!open) {
    return (
      <div className="correction">
        {correct.isSuccess && (
          <p className="hint" role="status">
            {t('correction.saved')}
          </p>
        )}
        <button type="button" onClick={() => setOpen(true)}>
          {t('correction.open')}
        </button>
      </div>
    );
  }
  const properties = me.scopeProperties.some((property) => property.id === complaint.propertyId)
    ? me.scopeProperties
    : [{ id: complaint.propertyId, name: complaint.propertyId }, ...me.scopeProperties];
  return (
    <form onSubmit={submit} className="correction form-grid" noValidate aria-label={t('correction.title')}>
      <h3 className="wide">{t('correction.title')}</h3>
      <p className="hint wide">{t('correction.intro')}</p>
      <Field label={t('field.propertyId')} error={error('propertyId')}>
        <select name="propertyId" defaultValue={complaint.propertyId}>
          {properties.map((property) => (
            <option key={property.id} value={property.id}>
              {property.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('field.location')} error={error('location')}>
        <input name="location" maxLength={500} defaultValue={complaint.location} />
      </Field>
      <Field label={t('field.description')} error={error('description')} className="wide">
        <textarea name="description" rows={3} maxLength={10_000} defaultValue={complaint.description} />
      </Field>
      <Field label={t('field.demand')} error={error('demand')} className="wide">
        <textarea name="demand" rows={2} maxLength={5_000} defaultValue={complaint.demand} />
      </Field>
      <Field label={t('field.complainantName')} error={error('complainant.name')}>
        <input name="name" maxLength={100} autoComplete="off" placeholder={t('correction.keep')} />
      </Field>
      <Field label={t('field.contact')} error={error('complainant.contact')}>
        <input name="contact" maxLength={100} autoComplete="off" inputMode="tel" placeholder={t('correction.keep')} />
      </Field>
      <Field label={t('field.unit')} error={error('complainant.unit')}>
        <input name="unit" maxLength={100} autoComplete="off" placeholder={t('correction.keep')} />
      </Field>
      <Field label={t('field.involvedStaffId')} error={error('involvedStaffId')}>
        <select name="involvedStaffId" defaultValue={complaint.involvedStaffId ?? ''}>
          <option value="">{t('register.involvedStaffUnknown')}</option>
          {(colleagues.data?.staff ?? []).map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('correction.reason')} error={error('reason')} className="wide">
        <input name="reason" maxLength={2_000} required />
      </Field>
      <div className="wide">
        <ProblemAlert error={correct.error} shownFields={SHOWN_FIELDS} />
      </div>
      <div className="actions wide">
        <button type="submit" className="primary" disabled={correct.isPending}>
          {t('correction.submit')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
