import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiProblem, download, getJson, sendJson } from '../api/client';
import { useColleagues, useComplaint, useDirectory, useTimeline } from '../api/queries';
import type { Complaint, Extension, Lifecycle } from '../api/types';
import { useMe, type Me } from '../auth/session';
import { Countdown } from '../components/Countdown';
import { Field } from '../components/Field';
import { fieldError, ProblemAlert } from '../components/Problem';
import { ACTIONS, refusal, type ActionName, type Refusal } from '../lib/allowed-actions';
import { DEADLINE_NAMES } from '../lib/countdown';
import { formText } from '../lib/form';
import { departmentName, namesFrom, propertyName, timelineSentence, type Names, type Translate } from '../lib/timeline';
import { ACTION_SPECS, actionBody, CANNED_REPLIES_QUERY, type ActionField } from './actions';
import { ReferralReply } from './ReferralReply';
import { StaffConsequences } from './StaffConsequences';
import { SpotChecks } from './SpotChecks';
import { Supervision } from './Supervision';
import { ComplaintWorkOrders } from './WorkOrders';
import { CorrectionForm } from './CorrectionForm';

export function ComplaintPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const complaint = useComplaint(id);
  if (complaint.isLoading)
    return (
      <p aria-busy="true" className="placeholder-block">
        {t('common.loading')}
      </p>
    );
  if (complaint.error instanceof ApiProblem && complaint.error.status === 404) return <p>{t('complaint.notFound')}</p>;
  if (!complaint.data) return <ProblemAlert error={complaint.error} />;
  return <ComplaintView complaint={complaint.data} />;
}

function ComplaintView({ complaint }: { complaint: Complaint }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const lifecycle = complaint.lifecycle;
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const names = useNames(complaint, me);
  const translate: Translate = (key, values) => t(key, values);
  return (
    <article aria-labelledby="complaint-title" className="complaint">
      <header className="complaint-header">
        <h1 id="complaint-title">{complaint.number}</h1>
        <span className={`badge status-${complaint.status}`} data-testid="status">
          {t(`enum.status.${complaint.status}`)}
        </span>
        {complaint.severity && (
          <span className={`badge severity-${complaint.severity}`}>{t(`enum.severity.${complaint.severity}`)}</span>
        )}
      </header>
      <div className="complaint-grid">
        <section aria-labelledby="facts-title" className="card">
          <h2 id="facts-title">{t('complaint.facts')}</h2>
          <dl className="facts">
            <dt>{t('field.propertyId')}</dt>
            <dd>{propertyName(names, complaint.propertyId)}</dd>
            <dt>{t('field.channel')}</dt>
            <dd>{t(`enum.channel.${complaint.channel}`)}</dd>
            <dt>{t('field.receivedAt')}</dt>
            <dd>{when(complaint.receivedAt)}</dd>
            <dt>{t('field.location')}</dt>
            <dd>{complaint.location || '—'}</dd>
            <dt>{t('field.description')}</dt>
            <dd className="prose">{complaint.description}</dd>
            <dt>{t('field.demand')}</dt>
            <dd className="prose">{complaint.demand || '—'}</dd>
            <dt>{t('field.requestedBy')}</dt>
            <dd>{complaint.requestedBy ? when(complaint.requestedBy) : '—'}</dd>
            <dt>{t('field.incidentAt')}</dt>
            <dd>{complaint.incidentAt ? when(complaint.incidentAt) : '—'}</dd>
            <dt>{t('field.category')}</dt>
            <dd>{complaint.category ? t(`enum.category.${complaint.category}`) : '—'}</dd>
            <dt>{t('field.department')}</dt>
            <dd>
              {complaint.department
                ? departmentName(names, translate, complaint.propertyId, complaint.department)
                : '—'}
            </dd>
            <dt>{t('field.handler')}</dt>
            <dd>{lifecycle?.handler?.name ?? '—'}</dd>
            <dt>{t('field.owner')}</dt>
            <dd>{complaint.owner?.name ?? '—'}</dd>
            <dt>{t('field.level')}</dt>
            <dd>{lifecycle ? t(`enum.level.${lifecycle.escalationLevel}`) : '—'}</dd>
            <dt>{t('field.involvedStaff')}</dt>
            <dd data-testid="involved-staff">{complaint.involvedStaff || '—'}</dd>
          </dl>
          <PersonalData complaint={complaint} />
          <Attachments id={complaint.id} />
          <CorrectionForm complaint={complaint} />
          <StaffConsequences complaint={complaint} />
          {complaint.referral && <ReferralReply complaint={{ ...complaint, referral: complaint.referral }} />}
        </section>
        <section aria-labelledby="deadlines-title" className="card">
          <h2 id="deadlines-title">{t('field.deadlines')}</h2>
          {lifecycle ? (
            <ul className="plain deadlines">
              {DEADLINE_NAMES.filter((name) => lifecycle.deadlines[name]).map((name) => (
                <li key={name}>
                  <Countdown name={name} dueAt={lifecycle[name]} state={lifecycle.deadlines[name]} />
                </li>
              ))}
            </ul>
          ) : (
            <p aria-busy="true">{t('complaint.notStarted')}</p>
          )}
          {lifecycle?.waitingOn && (
            <p data-testid="waiting-on">
              {t('complaint.waitingOn', { body: lifecycle.waitingOn.body, since: when(lifecycle.waitingOn.since) })}
            </p>
          )}
          {lifecycle?.plan?.text && (
            <>
              <h3>{t('complaint.plan')}</h3>
              <p className="prose">{lifecycle.plan.text}</p>
            </>
          )}
          {lifecycle?.resolution?.result && (
            <>
              <h3>{t('complaint.resolution')}</h3>
              <p className="prose">{lifecycle.resolution.result}</p>
              <ResolutionFacts resolution={lifecycle.resolution} />
            </>
          )}
          {lifecycle && (lifecycle.callbacks.length > 0 || lifecycle.callbackPlan || lifecycle.survey) && (
            <Callbacks lifecycle={lifecycle} />
          )}
          {lifecycle && lifecycle.extensions.length > 0 && (
            <>
              <h3>{t('complaint.extensions')}</h3>
              <ul className="plain">
                {lifecycle.extensions.map((extension) => (
                  <li key={extension.number}>
                    <ExtensionDecision complaint={complaint} extension={extension} me={me} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <Actions complaint={complaint} lifecycle={lifecycle} me={me} />
        {lifecycle && <Supervision complaint={complaint} lifecycle={lifecycle} me={me} />}
        <SpotChecks complaint={complaint} me={me} />
        <ComplaintWorkOrders complaint={complaint} />
        <Timeline id={complaint.id} propertyId={complaint.propertyId} names={names} />
      </div>
    </article>
  );
}

function PersonalData({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const reveal = useMutation({
    mutationFn: (reason: string) =>
      sendJson<{ name?: string; contact?: string; unit?: string }>(
        'POST',
        `/v1/complaints/${complaint.id}/personal-data/reveal`,
        { fields: ['name', 'contact', 'unit'], reason },
      ),
  });
  const shown = reveal.data ?? complaint.complainant;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    reveal.mutate(formText(new FormData(event.currentTarget), 'reason'));
  };
  return (
    <div className="personal-data">
      <h3>{t('complaint.complainant')}</h3>
      <dl className="facts">
        <dt>{t('field.complainantName')}</dt>
        <dd>{shown.name}</dd>
        <dt>{t('field.contact')}</dt>
        <dd>{shown.contact}</dd>
        <dt>{t('field.unit')}</dt>
        <dd>{shown.unit || '—'}</dd>
        <dt>{t('field.complainantType')}</dt>
        <dd>{t(`enum.complainantType.${complaint.complainant.type}`)}</dd>
      </dl>
      {reveal.data ? (
        <p className="hint" role="status">
          {t('complaint.revealed')}
        </p>
      ) : open ? (
        <form onSubmit={submit} className="inline-form">
          <Field label={t('complaint.revealReason')} error={fieldError(reveal.error, 'reason')}>
            <input name="reason" minLength={4} required />
          </Field>
          <button type="submit" disabled={reveal.isPending}>
            {t('complaint.reveal')}
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
          <ProblemAlert error={reveal.error} shownFields={['reason']} />
        </form>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          {t('complaint.reveal')}
        </button>
      )}
    </div>
  );
}

interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

/** The evidence: each file downloadable (with the token, so through fetch), and more uploaded here. */
function Attachments({ id }: { id: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['complaint', id, 'attachments'],
    queryFn: () => getJson<{ items: Attachment[] }>(`/v1/complaints/${encodeURIComponent(id)}/attachments`),
  });
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return sendJson('POST', `/v1/complaints/${encodeURIComponent(id)}/attachments`, form);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['complaint', id, 'attachments'] }),
  });
  return (
    <div className="attachments">
      <h3>{t('complaint.attachments')}</h3>
      <ProblemAlert error={list.error ?? upload.error} />
      <ul className="plain">
        {(list.data?.items ?? []).map((attachment) => (
          <li key={attachment.id}>
            <button
              type="button"
              className="link"
              onClick={() =>
                void download(
                  `/v1/complaints/${encodeURIComponent(id)}/attachments/${attachment.id}`,
                  {},
                  attachment.filename,
                )
              }
            >
              {attachment.filename}
            </button>{' '}
            <small className="hint">
              {attachment.contentType} · {Math.ceil(attachment.size / 1024)} KB
            </small>
          </li>
        ))}
        {list.data?.items.length === 0 && <li className="hint">{t('common.none')}</li>}
      </ul>
      <label>
        {t('complaint.addAttachment')}
        <input
          type="file"
          disabled={upload.isPending}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) upload.mutate(file);
            event.target.value = '';
          }}
        />
      </label>
    </div>
  );
}

function useRefusalText() {
  const { t } = useTranslation();
  return (refused: Refusal): string => {
    switch (refused.why) {
      case 'status':
        return t('why.status', {
          status: t(`enum.status.${refused.status}`),
          allowed: refused.allowed.map((status) => t(`enum.status.${status}`)).join(' / '),
        });
      case 'level':
        return t('why.level', { level: t(`enum.level.${refused.level}`) });
      case 'planNeeded':
        return t('why.planNeeded', { severity: t(`enum.severity.${refused.severity}`) });
      case 'attemptsLeft':
        return t('why.attemptsLeft', { made: refused.made, allowed: refused.allowed });
      default:
        return t(`why.${refused.why}`);
    }
  };
}

function Actions({ complaint, lifecycle, me }: { complaint: Complaint; lifecycle: Lifecycle | null; me: Me }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<ActionName | null>(null);
  const [done, setDone] = useState<ActionName | null>(null);
  const why = useRefusalText();
  return (
    <section aria-labelledby="actions-title" className="card">
      <h2 id="actions-title">{t('complaint.actions')}</h2>
      {done && (
        <p role="status" className="success">
          {t('action.done', { action: t(`action.${done}`) })}
        </p>
      )}
      <ul className="plain action-list">
        {ACTIONS.map((action) => {
          const refused = refusal(lifecycle, action, me.roleLevel);
          const reasonId = `why-${action}`;
          return (
            <li key={action}>
              <button
                type="button"
                aria-expanded={open === action}
                disabled={refused !== null}
                aria-describedby={refused ? reasonId : undefined}
                onClick={() => {
                  setDone(null);
                  setOpen(open === action ? null : action);
                }}
              >
                {t(`action.${action}`)}
              </button>
              {refused && (
                <small id={reasonId} className="why">
                  {why(refused)}
                </small>
              )}
              {open === action && !refused && (
                <ActionForm
                  complaint={complaint}
                  action={action}
                  me={me}
                  onDone={() => {
                    // Done after the refetch: another form opened meanwhile stays open.
                    setOpen((current) => (current === action ? null : current));
                    setDone(action);
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ActionForm({
  complaint,
  action,
  me,
  onDone,
}: {
  complaint: Complaint;
  action: ActionName;
  me: Me;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const spec = ACTION_SPECS[action];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      spec.fields.map((field) => [
        field.name,
        field.kind === 'select'
          ? (field.options?.values[0] ?? '')
          : field.kind === 'datetime'
            ? defaultUntil(complaint)
            : '',
      ]),
    ),
  );
  const act = useMutation({
    mutationFn: () =>
      sendJson<Lifecycle>('POST', `/v1/complaints/${complaint.id}/${spec.path}`, actionBody(spec, values, me.staffId)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['complaint', complaint.id] });
      onDone();
    },
  });
  const set = (name: string, value: string) => setValues((current) => ({ ...current, [name]: value }));
  const visible = spec.fields.filter(
    (field) => field.kind !== 'fixed' && (!field.when || field.when.values.includes(values[field.when.field])),
  );
  const groupReplies = useQuery({
    queryKey: CANNED_REPLIES_QUERY,
    queryFn: () => getJson<{ replies: string[] }>('/v1/canned-replies'),
    enabled: action === 'acknowledge',
  });
  const canned = [
    ...['received', 'onsite', 'sorry'].map((key) => t(`canned.${key}`, { number: complaint.number })),
    ...(groupReplies.data?.replies ?? []).map((reply) => reply.replaceAll('{number}', complaint.number)),
  ];
  return (
    <form
      className="action-form"
      aria-label={t(`action.${action}`)}
      onSubmit={(event) => {
        event.preventDefault();
        act.mutate();
      }}
    >
      {action === 'acknowledge' && (
        <Field label={t('actionField.canned')}>
          <select value="" onChange={(event) => event.target.value && set('reply', event.target.value)}>
            <option value="">—</option>
            {canned.map((text) => (
              <option key={text} value={text}>
                {text}
              </option>
            ))}
          </select>
        </Field>
      )}
      {visible.map((field) => (
        <ActionInput
          key={field.name}
          field={field}
          propertyId={complaint.propertyId}
          value={values[field.name] ?? ''}
          onChange={(value) => set(field.name, value)}
          error={fieldError(act.error, field.name)}
        />
      ))}
      <ProblemAlert error={act.error} shownFields={visible.map((field) => field.name)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={act.isPending}>
          {t('common.submit')}
        </button>
      </div>
    </form>
  );
}

function ActionInput({
  field,
  propertyId,
  value,
  onChange,
  error,
}: {
  field: ActionField;
  propertyId: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const colleagues = useColleagues(propertyId, field.kind === 'staff');
  const label = t(`actionField.${field.name}`) + (field.required ? '' : ` (${t('common.optional')})`);
  if (field.kind === 'staff') {
    return (
      <Field label={label} error={error}>
        <select name={field.name} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">—</option>
          {(colleagues.data?.staff ?? []).map((member) => (
            <option key={member.id} value={member.id}>
              {member.name} · {t(`enum.level.${member.roleLevel}`)}
            </option>
          ))}
        </select>
      </Field>
    );
  }
  if (field.kind === 'select' && field.options) {
    const options = field.options;
    return (
      <Field label={label} error={error}>
        <select name={field.name} value={value} onChange={(event) => onChange(event.target.value)}>
          {options.values.map((option) => (
            <option key={option} value={option}>
              {option === '' ? '—' : t(`${options.labels}.${option}`)}
            </option>
          ))}
        </select>
      </Field>
    );
  }
  if (field.kind === 'textarea') {
    return (
      <Field label={label} error={error}>
        <textarea
          name={field.name}
          rows={3}
          value={value}
          required={field.required}
          onChange={(event) => onChange(event.target.value)}
        />
      </Field>
    );
  }
  return (
    <Field label={label} error={error}>
      <input
        name={field.name}
        type={field.kind === 'datetime' ? 'datetime-local' : 'text'}
        value={value}
        required={field.required}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  );
}

/** A day after the resolution deadline, as a datetime-local value. */
function defaultUntil(complaint: Complaint): string {
  const base = Date.parse(complaint.lifecycle?.resolveBy ?? '') || Date.now();
  const date = new Date(base + 86_400_000);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** An extension request; pending ones can be approved or rejected here (and on the approvals page). */
export function ExtensionDecision({
  complaint,
  extension,
  me,
}: {
  complaint: Complaint;
  extension: Extension;
  me: Me;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      sendJson<Lifecycle>(
        'POST',
        `/v1/complaints/${complaint.id}/extensions/${extension.number}/${decision}`,
        decision === 'approve'
          ? { staffId: me.staffId, ...(reason ? { note: reason } : {}) }
          : { staffId: me.staffId, reason },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['complaint', complaint.id] }),
  });
  const title = t('approvals.extension', {
    n: extension.number,
    deadline: t(`deadline.${extension.deadline}`),
    until: new Date(extension.until).toLocaleString(i18n.language),
  });
  return (
    <div className="extension" data-status={extension.status}>
      <p>
        <strong>{title}</strong> — {extension.reason}{' '}
        <span className={`badge ext-${extension.status}`}>{t(`enum.extension.${extension.status}`)}</span>
      </p>
      {extension.status === 'pending' && (
        <form
          className="inline-form"
          aria-label={title}
          onSubmit={(event) => {
            event.preventDefault();
          }}
        >
          <Field label={`${t('field.reason')} / ${t('actionField.note')}`} error={fieldError(decide.error, 'reason')}>
            <input value={reason} onChange={(event) => setReason(event.target.value)} />
          </Field>
          <button
            type="button"
            className="primary"
            disabled={decide.isPending}
            onClick={() => decide.mutate('approve')}
          >
            {t('action.approve_extension')}
          </button>
          <button type="button" disabled={decide.isPending || !reason} onClick={() => decide.mutate('reject')}>
            {t('action.reject_extension')}
          </button>
          <ProblemAlert error={decide.error} shownFields={['reason']} />
        </form>
      )}
    </div>
  );
}

/**
 * Names for the ids complaints and their timelines hold: the properties the person sees (GET /v1/me),
 * the directory's departments and staff where this sign-in may read it (group headquarters), and
 * the people the complaint itself names.
 */
function useNames(complaint: Complaint, me: Me): Names {
  const directory = useDirectory(me.allowed.includes('manage_master_data'));
  const { owner, handler, lifecycle } = complaint;
  return useMemo(
    () =>
      namesFrom({
        properties: [...(directory.data?.properties ?? []), ...me.scopeProperties],
        departments: directory.data?.departments,
        staff: [
          ...(directory.data?.staff ?? []),
          owner?.kind === 'staff' ? owner : null,
          handler,
          lifecycle?.handler,
          lifecycle?.propertyHead,
        ],
      }),
    [directory.data, me.scopeProperties, owner, handler, lifecycle],
  );
}

function Timeline({ id, propertyId, names }: { id: string; propertyId: string; names: Names }) {
  const { t, i18n } = useTranslation();
  const timeline = useTimeline(id);
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const translate: Translate = (key, values) => t(key, values);
  const context = { t: translate, names, propertyId, when };
  return (
    <section aria-labelledby="timeline-title" className="card wide">
      <h2 id="timeline-title">{t('complaint.timeline')}</h2>
      <ProblemAlert error={timeline.error} />
      <ol className="timeline">
        {(timeline.data?.entries ?? []).map((entry) => (
          <li key={entry.seq} data-type={entry.type}>
            <time dateTime={entry.at}>{when(entry.at)}</time> {timelineSentence(entry, context)}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The callbacks made (SPEC §5): each attempt and the completed one, with who was reached and who
 * signed; the retry plan (attempts left, when the next is due) and the survey sent.
 */
function Callbacks({ lifecycle }: { lifecycle: Lifecycle }) {
  const { t, i18n } = useTranslation();
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const { callbackPlan: plan, survey } = lifecycle;
  return (
    <>
      <h3>{t('complaint.callbacks')}</h3>
      {plan && plan.attemptsMade > 0 && (
        <p data-testid="callback-plan">
          {t('complaint.callbackPlan', { made: plan.attemptsMade, allowed: plan.attemptsAllowed })}
          {plan.nextAttemptAt
            ? ` · ${t('complaint.nextAttempt', { at: when(plan.nextAttemptAt), caller: plan.caller?.name ?? '—' })}`
            : plan.attemptsMade >= plan.attemptsAllowed
              ? ` · ${t('complaint.attemptsUsed')}`
              : ''}
        </p>
      )}
      {survey && (
        <p data-testid="survey">
          {t('complaint.surveySent', {
            number: survey.number,
            at: when(survey.sentAt),
            by: survey.sentBy?.name ?? '—',
          })}
          {' · '}
          {survey.answeredAt
            ? t('complaint.surveyAnswered', { at: when(survey.answeredAt) })
            : t('complaint.surveyWaiting')}
        </p>
      )}
      <ol className="plain callbacks">
        {lifecycle.callbacks.map((callback, i) => (
          <li key={i} data-outcome={text(callback.outcome)}>
            {new Date(text(callback.at)).toLocaleString(i18n.language)} · {t(`enum.outcome.${text(callback.outcome)}`)}{' '}
            · {t(`enum.method.${text(callback.method)}`)}
            {callback.personReached ? ` · ${t('actionField.personReached')}: ${text(callback.personReached)}` : ''}
            {callback.satisfaction ? ` · ${t(`enum.satisfaction.${text(callback.satisfaction)}`)}` : ''}
            {callback.comments ? ` · ${text(callback.comments)}` : ''}
            {callback.signature ? ` · ${t('actionField.signature')}: ${text(callback.signature)}` : ''}
          </li>
        ))}
      </ol>
    </>
  );
}

/** What was given (退换修赔), the cause found and the corrective action (纠正与预防措施) of a resolution. */
function ResolutionFacts({ resolution }: { resolution: NonNullable<Lifecycle['resolution']> }) {
  const { t } = useTranslation();
  const { remedy, cause, correctiveAction } = resolution;
  if (!remedy && !cause && !correctiveAction) return null;
  return (
    <dl className="facts" data-testid="resolution-facts">
      {remedy && (
        <>
          <dt>{t('actionField.remedy.kind')}</dt>
          <dd>
            {t(`enum.remedy.${remedy.kind}`)}
            {remedy.amount && ` ¥${remedy.amount}`}
            {remedy.note && ` (${remedy.note})`}
            {remedy.approvedBy && ` · ${t('complaint.approvedBy', { name: remedy.approvedBy.name })}`}
          </dd>
        </>
      )}
      {cause && (
        <>
          <dt>{t('actionField.cause.text')}</dt>
          <dd>
            {cause.category && `[${t(`enum.causeCategory.${cause.category}`)}] `}
            {cause.text}
          </dd>
        </>
      )}
      {correctiveAction && (
        <>
          <dt>{t('actionField.correctiveAction.description')}</dt>
          <dd>
            {correctiveAction.description} ·{' '}
            {t('complaint.correctiveOwner', {
              name: correctiveAction.owner.name,
              due: new Date(correctiveAction.dueAt).toLocaleString(),
            })}
          </dd>
        </>
      )}
    </dl>
  );
}
