import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sendJson } from '../api/client';
import type { Complaint } from '../api/types';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';

/**
 * A government referral (政府转办): the referring body and its ticket number, and the reply sent
 * back to it, recorded on the timeline under that ticket.
 */
export function ReferralReply({
  complaint,
}: {
  complaint: Complaint & { referral: NonNullable<Complaint['referral']> };
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const reply = useMutation({
    mutationFn: () => sendJson('POST', `/v1/complaints/${complaint.id}/referral-reply`, { text }),
    onSuccess: () => {
      setText('');
      return queryClient.invalidateQueries({ queryKey: ['complaint', complaint.id] });
    },
  });
  return (
    <form
      aria-label={t('referral.title')}
      className="card"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        reply.mutate();
      }}
    >
      <h3>{t('referral.title')}</h3>
      <p data-testid="referral">
        {t('referral.ticket', { agency: complaint.referral.agency, ticket: complaint.referral.ticketNumber })}
      </p>
      <Field label={t('referral.reply')} error={fieldError(reply.error, 'text')}>
        <textarea
          name="referralReply"
          rows={3}
          maxLength={4000}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <ProblemAlert error={reply.error} shownFields={['text']} />
      {reply.isSuccess && <p role="status">{t('referral.sent')}</p>}
      <button type="submit" className="primary" disabled={reply.isPending}>
        {t('referral.record')}
      </button>
    </form>
  );
}
