import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiProblem, getJson, sendJson } from '../api/client';
import type { Survey, SurveyAnswer } from '../api/schemas';
import { SATISFACTIONS } from '../api/types';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { ProblemAlert } from '../components/Problem';

/**
 * The complainant's satisfaction survey (SPEC §5 回访 by message), opened from the link in the
 * message notification sent: no sign-in, the link's token is all it needs. It shows the
 * complaint's number only and takes one answer.
 */
export function SurveyPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const path = `/v1/surveys/${encodeURIComponent(token)}`;
  const survey = useQuery({ queryKey: ['survey', token], queryFn: () => getJson<Survey>(path) });
  const [satisfaction, setSatisfaction] = useState<SurveyAnswer['satisfaction'] | ''>('');
  const [comments, setComments] = useState('');
  const answer = useMutation({
    mutationFn: (body: SurveyAnswer) => sendJson<Survey>('POST', path, body),
  });
  const current = answer.data ?? survey.data;
  const refused = survey.error instanceof ApiProblem ? survey.error.status : undefined;
  return (
    <main id="main" className="survey-page">
      <div className="survey-language">
        <LanguageSwitch />
      </div>
      <h1>{t('survey.title')}</h1>
      {survey.isLoading && <p aria-busy="true">{t('common.loading')}</p>}
      {refused === 404 && <p role="alert">{t('survey.invalid')}</p>}
      {refused === 409 && <p role="alert">{t('survey.closed')}</p>}
      {survey.error && refused !== 404 && refused !== 409 && <ProblemAlert error={survey.error} />}
      {current?.answered && (
        <p role="status" className="success">
          {t('survey.thanks', { number: current.number })}
        </p>
      )}
      {current && !current.answered && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!satisfaction) return;
            answer.mutate({ satisfaction, ...(comments.trim() ? { comments: comments.trim() } : {}) });
          }}
        >
          <fieldset>
            <legend>{t('survey.question', { number: current.number })}</legend>
            {SATISFACTIONS.map((value) => (
              <label key={value} className="choice">
                <input
                  type="radio"
                  name="satisfaction"
                  value={value}
                  required
                  checked={satisfaction === value}
                  onChange={() => setSatisfaction(value)}
                />
                {t(`enum.satisfaction.${value}`)}
              </label>
            ))}
          </fieldset>
          <label>
            {t('survey.comments')}
            <textarea
              name="comments"
              rows={3}
              maxLength={4000}
              value={comments}
              onChange={(event) => setComments(event.target.value)}
            />
          </label>
          <ProblemAlert error={answer.error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={answer.isPending || !satisfaction}>
              {t('survey.send')}
            </button>
          </div>
        </form>
      )}
    </main>
  );
}
