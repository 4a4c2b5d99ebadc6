import type { ActionFieldName } from '../api/schemas';
import type { ActionName } from '../lib/allowed-actions';
import { CALLBACK_METHODS, LIABILITIES, SATISFACTIONS } from '../api/types';

// Each lifecycle action: its endpoint under /v1/complaints/{id}/ and the fields of its form
// (the bodies of gateway/src/lifecycle/lifecycle.controller.ts, without staffId, which is `me`).

/** The group's own canned first replies (Admin → canned replies); `{number}` is the complaint's number. */
export const CANNED_REPLIES_QUERY = ['canned-replies'] as const;

export interface ActionField<N extends string = string> {
  name: N;
  kind: 'text' | 'textarea' | 'select' | 'datetime' | 'fixed';
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

/** The request body from the form's values: empty optional fields left out, times as RFC 3339. */
export function actionBody(
  spec: ActionSpec,
  values: Record<string, string>,
  staffId: string,
): Record<string, string | boolean> {
  const body: Record<string, string | boolean> = { staffId };
  for (const field of spec.fields) {
    if (field.kind === 'fixed') {
      if (field.value !== undefined) body[field.name] = field.value;
      continue;
    }
    if (field.when && !field.when.values.includes(values[field.when.field] ?? '')) continue;
    const value = (values[field.name] ?? '').trim();
    if (!value) continue;
    body[field.name] = field.kind === 'datetime' ? new Date(value).toISOString() : value;
  }
  return body;
}
