import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiProblem, getJson, sendJson } from '../api/client';
import type { ComplainantView, ComplainantViewRequest } from '../api/schemas';
import { Field } from '../components/Field';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { fieldError, ProblemAlert } from '../components/Problem';
import { complainantStage } from '../lib/complainant-stage';

// The view is read again now and then while the page stays open, through the token it came with.
const REFRESH_MS = 60_000;

/**
 * The complainant's own view (no sign-in): the complaint number they were given and the last
 * four digits of the phone they gave open the state of their complaint, the times promised, the
 * result, and the satisfaction survey once one was sent. Made for a phone screen first.
 */
export function TrackPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const group = params.get('group') ?? undefined;
  const [number, setNumber] = useState(params.get('number') ?? '');
  const [lastFour, setLastFour] = useState('');
  const find = useMutation({
    mutationFn: (body: ComplainantViewRequest) => sendJson<ComplainantView>('POST', '/v1/complainant-view', body),
  });
  const token = find.data?.token;
  const again = useQuery({
    queryKey: ['complainant-view', token],
    queryFn: () => getJson<ComplainantView>(`/v1/complainant-view/${encodeURIComponent(token ?? '')}`),
    enabled: token !== undefined,
    refetchInterval: REFRESH_MS,
    // The POST's answer is the first reading: not asked again at once.
    initialData: find.data,
    staleTime: REFRESH_MS,
  });
  const view = again.data ?? find.data;
  const status = find.error instanceof ApiProblem ? find.error.status : undefined;
  return (
    <main id="main" className="survey-page track-page">
      <div className="survey-language">
        <LanguageSwitch />
      </div>
      <h1>{t('track.title')}</h1>
      {!view && (
        <form
          aria-label={t('track.title')}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            find.mutate({ ...(group ? { group } : {}), number: number.trim(), contactLastFour: lastFour.trim() });
          }}
        >
          <p className="hint">{t('track.intro')}</p>
          <Field label={t('track.number')} hint={t('track.numberHint')} error={fieldError(find.error, 'number')}>
            <input
              name="number"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
              value={number}
              onChange={(event) => setNumber(event.target.value)}
            />
          </Field>
          <Field label={t('track.lastFour')} error={fieldError(find.error, 'contactLastFour')}>
            <input
              name="contactLastFour"
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              required
              value={lastFour}
              onChange={(event) => setLastFour(event.target.value)}
            />
          </Field>
          {status === 404 && <p role="alert">{t('track.notFound')}</p>}
          {status === 429 && <p role="alert">{t('track.tooMany')}</p>}
          {find.error && status !== 404 && status !== 429 && !fieldError(find.error, 'contactLastFour') && (
            <ProblemAlert error={find.error} />
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={find.isPending}>
              {t('track.show')}
            </button>
          </div>
        </form>
      )}
      {view && <ComplaintFacts view={view} />}
      {again.error && <ProblemAlert error={again.error} />}
    </main>
  );
}

function ComplaintFacts({ view }: { view: ComplainantView }) {
  const { t, i18n } = useTranslation();
  const when = (at: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
  const promise = (key: 'firstReply' | 'resolution', limit: ComplainantView['firstReply']) => {
    if (!limit) return null;
    const text = limit.met
      ? t(`track.${key}Met`)
      : limit.dueAt
        ? t(`track.${key}By`, { time: when(limit.dueAt) })
        : t(`track.${key}Paused`);
    return <li data-testid={key}>{text}</li>;
  };
  const stage = complainantStage(view.status);
  return (
    <section aria-labelledby="track-number" className="track-facts">
      <h2 id="track-number">{t('track.complaint', { number: view.number })}</h2>
      <p>{t('track.where', { property: view.property, time: when(view.receivedAt) })}</p>
      <p role="status" data-testid="stage" className={`stage stage-${stage}`}>
        {t(`track.stage.${stage}`)}
      </p>
      <ul className="track-promises">
        {promise('firstReply', view.firstReply)}
        {promise('resolution', view.resolution)}
      </ul>
      {view.waitingOn && <p data-testid="waiting-on">{t('track.waitingOn', { body: view.waitingOn })}</p>}
      {view.result && (
        <div className="card" data-testid="result">
          <h3>{t('track.result', { time: when(view.result.at) })}</h3>
          <p>{view.result.text}</p>
        </div>
      )}
      {view.survey && !view.survey.answered && (
        <p>
          <Link className="button primary" to={`/survey/${encodeURIComponent(view.survey.token)}`}>
            {t('track.answerSurvey')}
          </Link>
        </p>
      )}
      {view.survey?.answered && <p>{t('track.surveyAnswered')}</p>}
    </section>
  );
}
