import type { ActionFieldName } from '../api/schemas';
import type { ActionName } from '../lib/allowed-actions';
import {
  CALLBACK_METHODS,
  CAUSE_CATEGORIES,
  LIABILITIES,
  MONEY_REMEDIES,
  REMEDY_KINDS,
  SATISFACTIONS,
} from '../api/types';

// Each lifecycle action: its endpoint under /v1/complaints/{id}/ and the fields of its form
// (the bodies of gateway/src/lifecycle/lifecycle.controller.ts, without staffId, which is `me`).

/** The group's own canned first replies (Admin → canned replies); `{number}` is the complaint's number. */
export const CANNED_REPLIES_QUERY = ['canned-replies'] as const;

export interface ActionField<N extends string = string> {
  name: N;
  /** `staff`: picked from the staff of the complaint's property (its id is sent). */
  kind: 'text' | 'textarea' | 'select' | 'datetime' | 'staff' | 'fixed';
  /** kind `fixed`: sent as is, not shown (closing as unreachable is `close` with `unreachable: true`). */
  value?: boolean;
  /** i18n key prefix of the options' labels (`enum.<x>`). */
  options?: { values: readonly string[]; labels: string };
  required?: boolean;
  /** Shown only when another field has one of these values. */
  when?: { field: N; values: string[] };
}

export interface ActionSpec<N extends string = string> {
  path: string;
  fields: ActionField<N>[];
}

/** Each field name checked against the action's request body in the OpenAPI document. */
export const ACTION_SPECS: { [A in ActionName]: ActionSpec<ActionFieldName<A>> } = {
  acknowledge: { path: 'acknowledge', fields: [{ name: 'reply', kind: 'textarea', required: true }] },
  start_investigation: { path: 'investigation', fields: [{ name: 'note', kind: 'text' }] },
  propose_plan: { path: 'plan', fields: [{ name: 'plan', kind: 'textarea', required: true }] },
  approve_plan: { path: 'plan/approve', fields: [{ name: 'note', kind: 'text' }] },
  reject_plan: { path: 'plan/reject', fields: [{ name: 'reason', kind: 'text', required: true }] },
  request_extension: {
    path: 'extensions',
    fields: [
      {
        name: 'deadline',
        kind: 'select',
        options: { values: ['resolveBy', 'firstReplyBy', 'callbackBy'], labels: 'deadline' },
        required: true,
      },
      { name: 'until', kind: 'datetime', required: true },
      { name: 'reason', kind: 'text', required: true },
    ],
  },
  await_complainant: { path: 'await-complainant', fields: [{ name: 'reason', kind: 'text', required: true }] },
  await_outside_body: {
    path: 'await-outside-body',
    fields: [
      { name: 'body', kind: 'text', required: true },
      { name: 'reason', kind: 'text', required: true },
    ],
  },
  give_progress: { path: 'progress', fields: [{ name: 'message', kind: 'text', required: true }] },
  resume: { path: 'resume', fields: [{ name: 'note', kind: 'text' }] },
  resolve: {
    path: 'resolve',
    fields: [
      { name: 'liability', kind: 'select', options: { values: LIABILITIES, labels: 'enum.liability' }, required: true },
      { name: 'validity', kind: 'select', options: { values: ['valid', 'invalid'], labels: 'enum.validity' } },
      { name: 'result', kind: 'textarea', required: true },
      // 退换修赔: 'none' first, so a form left as it is records that nothing was given.
      {
        name: 'remedy.kind',
        kind: 'select',
        options: { values: ['none', ...REMEDY_KINDS.filter((kind) => kind !== 'none')], labels: 'enum.remedy' },
      },
      { name: 'remedy.amount', kind: 'text', when: { field: 'remedy.kind', values: [...MONEY_REMEDIES] } },
      { name: 'remedy.note', kind: 'text', when: { field: 'remedy.kind', values: [...MONEY_REMEDIES, 'apology'] } },
      { name: 'cause.text', kind: 'textarea' },
      {
        name: 'cause.category',
        kind: 'select',
        options: { values: ['', ...CAUSE_CATEGORIES], labels: 'enum.causeCategory' },
      },
      // 纠正与预防措施: only for a complaint the group is responsible for.
      { name: 'correctiveAction.description', kind: 'textarea', when: { field: 'liability', values: ['responsible'] } },
      { name: 'correctiveAction.ownerId', kind: 'staff', when: { field: 'liability', values: ['responsible'] } },
      { name: 'correctiveAction.dueAt', kind: 'datetime', when: { field: 'liability', values: ['responsible'] } },
    ],
  },
  record_callback: {
    path: 'callbacks',
    fields: [
      { name: 'outcome', kind: 'select', options: { values: ['completed', 'attempt'], labels: 'enum.outcome' } },
      { name: 'method', kind: 'select', options: { values: CALLBACK_METHODS, labels: 'enum.method' }, required: true },
      { name: 'personReached', kind: 'text', required: true, when: { field: 'outcome', values: ['completed'] } },
      {
        name: 'satisfaction',
        kind: 'select',
        options: { values: SATISFACTIONS, labels: 'enum.satisfaction' },
        when: { field: 'outcome', values: ['completed'] },
      },
      { name: 'comments', kind: 'text', when: { field: 'outcome', values: ['completed'] } },
      { name: 'signature', kind: 'text', when: { field: 'outcome', values: ['completed'] } },
      { name: 'reason', kind: 'text', required: true, when: { field: 'outcome', values: ['attempt'] } },
    ],
  },
  send_survey: { path: 'survey', fields: [{ name: 'note', kind: 'text' }] },
  reopen: { path: 'reopen', fields: [{ name: 'reason', kind: 'text', required: true }] },
  close: {
    path: 'close',
    fields: [
      { name: 'note', kind: 'text' },
      { name: 'finalAnswer', kind: 'textarea' },
    ],
  },
  close_unreachable: {
    path: 'close',
    fields: [
      { name: 'unreachable', kind: 'fixed', value: true },
      { name: 'note', kind: 'text' },
    ],
  },
};

type BodyValue = string | boolean | Record<string, string>;

/**
 * The request body from the form's values: empty optional fields left out, times as RFC 3339.
 * A field `a.b` goes into the object `a`, which is sent only when its first field is filled in
 * (a corrective action's due time alone is no corrective action).
 */
export function actionBody(
  spec: ActionSpec,
  values: Record<string, string>,
  staffId: string,
): Record<string, BodyValue> {
  const body: Record<string, BodyValue> = { staffId };
  const groups = new Map<string, Record<string, string> | null>();
  for (const field of spec.fields) {
    if (field.kind === 'fixed') {
      if (field.value !== undefined) body[field.name] = field.value;
      continue;
    }
    if (field.when && !field.when.values.includes(values[field.when.field] ?? '')) continue;
    const value = (values[field.name] ?? '').trim();
    const [group, member] = field.name.split('.');
    // The first field of a group decides whether the group is sent at all.
    if (member && !groups.has(group)) groups.set(group, value ? {} : null);
    if (!value) continue;
    const sent = field.kind === 'datetime' ? new Date(value).toISOString() : value;
    const members = groups.get(group);
    if (!member) body[field.name] = sent;
    else if (members) members[member] = sent;
  }
  for (const [group, members] of groups) if (members) body[group] = members;
  return body;
}
