import type { TimelineEntry } from '../api/types';

// A timeline entry as a sentence in the reader's language, with names where the entry holds ids.
// Only the fields named here are read from an entry's details: whatever else an entry may carry
// (the complainant's name or contact never are, but a future field could be) is never shown.

export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** The names the console knows, each by id; what is missing here is shown as its id. */
export interface Names {
  properties: ReadonlyMap<string, string>;
  /** Departments by property and kind (`sh-mall|engineering`): entries name a department by its kind. */
  departments: ReadonlyMap<string, string>;
  staff: ReadonlyMap<string, string>;
}

export interface NameSources {
  properties?: readonly { id: string; name: string }[];
  departments?: readonly { propertyId: string; kind: string; name: string }[];
  staff?: readonly ({ id: string; name: string } | null | undefined)[];
}

export function namesFrom(sources: NameSources): Names {
  return {
    properties: new Map((sources.properties ?? []).map((property) => [property.id, property.name])),
    departments: new Map(
      (sources.departments ?? []).map((department) => [`${department.propertyId}|${department.kind}`, department.name]),
    ),
    staff: new Map(
      (sources.staff ?? []).flatMap((member) => (member && member.name ? [[member.id, member.name] as const] : [])),
    ),
  };
}

export interface SentenceContext {
  t: Translate;
  names: Names;
  /** The complaint's property: the department kinds of its entries are its departments. */
  propertyId: string;
  /** A date-time as the reader reads it. */
  when: (iso: string) => string;
}

export function propertyName(names: Names, id: string): string {
  return names.properties.get(id) ?? id;
}

/** The property's department of that kind; else the kind's usual name (客服部, 工程部 …); else the kind. */
export function departmentName(names: Names, t: Translate, propertyId: string, kind: string): string {
  return names.departments.get(`${propertyId}|${kind}`) ?? t(`enum.department.${kind}`, { defaultValue: kind });
}

/** A name as events record it: services write `unknown` (or the id) when they had none. */
function recorded(name: string | undefined, id: string): string | undefined {
  return name && name !== 'unknown' && name !== id ? name : undefined;
}

function actorName(actor: TimelineEntry['actor'], { t, names }: SentenceContext): string {
  if (!actor || actor.kind === 'system') return t('timeline.system');
  if (actor.kind === 'partner') return t('timeline.partner', { name: recorded(actor.name, '') ?? actor.id });
  const name = recorded(actor.name, actor.id) ?? names.staff.get(actor.id) ?? actor.id;
  return actor.via ? t('complaint.actorVia', { name, key: actor.via.name || actor.via.keyId }) : name;
}

/** The texts of a list in the details; none when it is not a list. */
function texts(details: Record<string, unknown>, name: string): string[] {
  const value = details[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A text or number of the details; '' for anything else (null, objects, a missing field). */
function field(details: Record<string, unknown>, name: string): string {
  const value = details[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The records of a list in the details (a correction's changes, the attempts a close as unreachable carries); none when it is not one. */
function records(details: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const value = details[name];
  return Array.isArray(value)
    ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    : [];
}

/** An object in the details (a resolution's remedy or corrective action); undefined when it is not one. */
function record(details: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = details[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The console's label of each field a correction may change. */
const CORRECTED_FIELD_LABELS: Record<string, string> = {
  propertyId: 'field.propertyId',
  location: 'field.location',
  description: 'field.description',
  demand: 'field.demand',
  'complainant.name': 'field.complainantName',
  'complainant.contact': 'field.contact',
  'complainant.unit': 'field.unit',
  involvedStaff: 'field.involvedStaff',
};

const RECLASSIFIED_CHANGE = /^(category|severity|department|liability): (.*) → (.*)$/;

export function timelineSentence(entry: TimelineEntry, context: SentenceContext): string {
  const { t, names, propertyId, when } = context;
  const details = entry.details;
  const text = (name: string) => field(details, name) || '—';
  const time = (name: string) => (field(details, name) ? when(field(details, name)) : '—');
  const label = (group: string, id: string) => (id ? t(`enum.${group}.${id}`, { defaultValue: id }) : '—');
  const deadline = (name: string) => t(`timeline.deadline.${name}`, { defaultValue: name });
  const department = (kind: string) => (kind ? departmentName(names, t, propertyId, kind) : '—');
  const withNote = (sentence: string) =>
    field(details, 'note') ? sentence + t('timeline.withNote', { note: field(details, 'note') }) : sentence;
  const actor = actorName(entry.actor, context);
  const cause = (value: string) => {
    const [kind = '', detail = ''] = value.split(':');
    if (kind === 'breach') return t('timeline.cause.breach', { deadline: deadline(detail) });
    if (kind === 'reopen') return t('timeline.cause.reopen', { round: detail.replace('round_', '') });
    return t(`timeline.cause.${kind}`, { defaultValue: value || '—' });
  };
  const valueOf = (name: string, value: string) => {
    if (value === '—' || value === '') return '—';
    return name === 'department' ? department(value) : label(name, value);
  };

  switch (entry.type) {
    case 'registered':
    case 'registered_and_closed':
      return t(`timeline.${entry.type}`, {
        actor,
        property: propertyName(names, field(details, 'propertyId') || propertyId),
        channel: label('channel', field(details, 'channel')),
        number: text('number'),
        answer: text('firstContactAnswer'),
      });
    case 'attachment_added':
      return t('timeline.attachment_added', { actor, filename: text('filename') });
    case 'personal_data_erased':
      return t('timeline.personal_data_erased', {
        reason: t(`timeline.erasure.${field(details, 'reason')}`, { defaultValue: text('reason') }),
      });
    case 'routed': {
      const routed = t('timeline.routed', {
        category: label('category', field(details, 'category')),
        severity: label('severity', field(details, 'severity')),
        department: department(field(details, 'department')),
      });
      return field(details, 'handler') ? routed + t('timeline.routedHandler', { handler: text('handler') }) : routed;
    }
    case 'start':
      return t('timeline.start');
    case 'change_severity':
      return t('timeline.change_severity', {
        from: label('severity', field(details, 'from')),
        to: label('severity', field(details, 'to')),
        cause: cause(field(details, 'cause')),
      });
    case 'escalated': {
      const from = field(details, 'from');
      const to = field(details, 'to');
      // Levels the ladder notifies without moving: the policy's people to tell on receipt.
      if (from === to) {
        return t('timeline.escalatedNotify', {
          cause: cause(field(details, 'cause')),
          notify:
            texts(details, 'notify')
              .map((level) => label('level', level))
              .join(t('timeline.separator')) || '—',
        });
      }
      return t('timeline.escalated', {
        cause: cause(field(details, 'cause')),
        from: label('level', from),
        to: label('level', to),
      });
    }
    case 'deadline_breached':
    case 'deadline_reminder':
      return t(`timeline.${entry.type}`, { deadline: deadline(field(details, 'deadline')), dueAt: time('dueAt') });
    case 'withdrawn':
      return t('timeline.withdrawn', { actor, reason: text('reason') });
    case 'reclassified': {
      return t('timeline.reclassified', {
        actor,
        changes:
          texts(details, 'changes')
            .map((change) => {
              const parts = RECLASSIFIED_CHANGE.exec(change);
              if (!parts) return change;
              const [, name = '', from = '', to = ''] = parts;
              return t('timeline.change', {
                field: t(name === 'liability' ? 'actionField.liability' : `field.${name}`),
                from: valueOf(name, from),
                to: valueOf(name, to),
              });
            })
            .join(t('timeline.separator')) || '—',
        reason: text('reason'),
      });
    }
    case 'reassigned':
      return t('timeline.reassigned', { actor, from: text('from'), to: text('to'), reason: text('reason') });
    case 'corrected':
      return t('timeline.corrected', {
        actor,
        changes:
          records(details, 'changes')
            .map((change) => {
              const [name, before, after] = [field(change, 'field'), field(change, 'before'), field(change, 'after')];
              const value = (text: string) => (name === 'propertyId' ? propertyName(names, text) : text) || '—';
              return t('timeline.change', {
                field: t(CORRECTED_FIELD_LABELS[name] ?? name, { defaultValue: name }),
                from: value(before),
                to: value(after),
              });
            })
            .join(t('timeline.separator')) || '—',
        reason: text('reason'),
      });
    case 'move':
      return t('timeline.move', {
        from: propertyName(names, field(details, 'fromPropertyId')),
        to: propertyName(names, field(details, 'toPropertyId')),
        handler: text('handler'),
      });
    case 'merged':
      return withNote(
        t('timeline.merged', {
          actor,
          into: text('into'),
          why: t(`timeline.mergeReason.${field(details, 'reason')}`, { defaultValue: text('reason') }),
        }),
      );
    case 'unmerged':
      return t('timeline.unmerged', { actor, from: text('from'), reason: text('reason') });
    case 'merge':
      return t('timeline.merge');
    case 'unmerge':
      return t('timeline.unmerge', { actor });
    case 'note':
      return t('timeline.note', { actor, text: text('text') });
    case 'referral_reply':
      return t('timeline.referral_reply', { actor, text: text('text') });
    case 'staff_consequence':
      return t('timeline.staff_consequence', {
        actor,
        staff: text('staff'),
        measure: t(`consequence.measure.${field(details, 'measure')}`, { defaultValue: text('measure') }),
        amount: field(details, 'amount') ? ` ¥${field(details, 'amount')}` : '',
        reason: text('reason'),
      });
    case 'corrective_action':
      return t(`timeline.corrective_action_${field(details, 'step')}`, {
        actor,
        owner: text('owner'),
        dueAt: time('dueAt'),
        text: text('text'),
        defaultValue: text('step'),
      });
    case 'supervise':
      return t('timeline.supervise', {
        actor,
        n: text('supervision'),
        instructions: text('instructions'),
        dueAt: time('dueAt'),
      });
    case 'answer_supervision':
      return t('timeline.answer_supervision', { actor, n: text('supervision'), answer: text('answer') });
    case 'return_supervision':
      return t('timeline.return_supervision', { actor, n: text('supervision'), reason: text('reason') });
    case 'accept_supervision':
      return withNote(t('timeline.accept_supervision', { actor, n: text('supervision') }));
    case 'supervision_overdue':
      return t('timeline.supervision_overdue', { n: text('supervision'), dueAt: time('dueAt') });
    case 'spot_check': {
      const checked = t('timeline.spot_check', {
        actor,
        verdict: label('spotCheckVerdict', field(details, 'verdict')),
        findings: text('findings'),
      });
      return field(details, 'followUp') ? checked + t('timeline.followUp', { followUp: text('followUp') }) : checked;
    }
    case 'acknowledge':
      return t('timeline.acknowledge', { actor, reply: text('reply') });
    case 'start_investigation':
    case 'approve_plan':
    case 'resume':
      return withNote(t(`timeline.${entry.type}`, { actor }));
    case 'propose_plan':
      return t('timeline.propose_plan', { actor, plan: text('plan') });
    case 'give_progress':
      return t('timeline.give_progress', { actor, message: text('message') });
    case 'reject_plan':
    case 'await_complainant':
      return t(`timeline.${entry.type}`, { actor, reason: text('reason') });
    case 'await_outside_body':
      return t('timeline.await_outside_body', { actor, body: text('body'), reason: text('reason') });
    case 'await_work_order':
      return t('timeline.await_work_order', { actor, number: text('number') });
    case 'work_order_raised':
      return t('timeline.work_order_raised', {
        actor,
        number: text('number'),
        trade: label('trade', field(details, 'trade')),
        urgency: label('urgency', field(details, 'urgency')),
      });
    case 'repeat_repair':
      return t('timeline.repeat_repair', { number: text('number'), repeatOf: text('repeatOf') });
    case 'work_order_completed':
      return t('timeline.work_order_completed', { actor, number: text('number'), workDone: text('workDone') });
    case 'work_order_confirmed':
    case 'work_order_rework':
      return t(`timeline.${entry.type}`, { actor, number: text('number'), rating: text('rating') });
    case 'work_order_overdue':
      return t('timeline.work_order_overdue', {
        number: text('number'),
        stage: t(`workOrder.stage.${field(details, 'stage')}`, { defaultValue: text('stage') }),
      });
    case 'request_extension':
      return t('timeline.request_extension', {
        actor,
        deadline: deadline(field(details, 'deadline')),
        until: time('until'),
        reason: text('reason'),
      });
    case 'approve_extension':
    case 'reject_extension':
      return withNote(t(`timeline.${entry.type}`, { actor, n: text('extension'), reason: text('reason') }));
    case 'resolve': {
      const sentence = t('timeline.resolve', {
        actor,
        liability: label('liability', field(details, 'liability')),
        validity: label('validity', field(details, 'validity')),
        result: text('result'),
      });
      // 退换修赔 and 纠正与预防措施, when the resolution names them.
      const remedy = record(details, 'remedy');
      const action = record(details, 'correctiveAction');
      const owner = action && record(action, 'owner');
      return [
        sentence,
        remedy &&
          t('timeline.remedy', {
            kind: label('remedy', field(remedy, 'kind')),
            amount: field(remedy, 'amount') || '—',
          }),
        action &&
          t('timeline.correctiveAction', {
            description: field(action, 'description'),
            owner: owner ? field(owner, 'name') : '',
          }),
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'record_callback': {
      if (field(details, 'outcome') === 'completed') {
        return t('timeline.callbackCompleted', {
          actor,
          method: label('method', field(details, 'method')),
          satisfaction: label('satisfaction', field(details, 'satisfaction')),
        });
      }
      const attempt = t('timeline.callbackAttempt', {
        actor,
        method: label('method', field(details, 'method')),
        reason: text('reason'),
      });
      // Attempts recorded before retry plans carry no count.
      if (!field(details, 'attempt')) return attempt;
      const plan = { attempt: text('attempt'), of: text('of'), next: time('nextAttemptAt') };
      return attempt + t(field(details, 'nextAttemptAt') ? 'timeline.callbackPlanned' : 'timeline.callbackLast', plan);
    }
    case 'send_survey':
      return withNote(t('timeline.send_survey', { actor, survey: text('survey') }));
    case 'answer_survey':
      return t('timeline.answer_survey', {
        survey: text('survey'),
        satisfaction: label('satisfaction', field(details, 'satisfaction')),
      });
    case 'reopen':
      return t('timeline.reopen', { actor, round: text('round'), reason: text('reason') });
    case 'close': {
      if (details.unreachable === true) {
        const evidence = records(details, 'attempts').map((attempt) => {
          const by =
            typeof attempt.by === 'object' && attempt.by !== null ? (attempt.by as Record<string, unknown>) : {};
          return t('timeline.attempt', {
            at: field(attempt, 'at') ? when(field(attempt, 'at')) : '—',
            method: label('method', field(attempt, 'method')),
            by: actorName({ kind: 'staff', id: field(by, 'id'), name: field(by, 'name') }, context),
            reason: field(attempt, 'reason') || '—',
          });
        });
        return withNote(
          t('timeline.closeUnreachable', { actor, attempts: evidence.join(t('timeline.separator')) || '—' }),
        );
      }
      const closed = t('timeline.close', { actor });
      const final = field(details, 'finalAnswer');
      return withNote(final ? closed + t('timeline.finalAnswer', { text: final }) : closed);
    }
    default:
      return t('timeline.other', { actor, type: entry.type });
  }
}
