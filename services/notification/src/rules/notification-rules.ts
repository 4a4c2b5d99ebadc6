import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { payloadOf } from '@complaints/messaging';
import { NOTIFICATION_CHANNELS, RECIPIENTS, TEMPLATES, TRIGGERS, type Trigger } from '@complaints/domain';

/** The handover book's triggers, and the only people they reach (and who only they reach). */
const HANDOVER_TRIGGERS: ReadonlySet<string> = new Set<Trigger>([
  'handover_to_sign',
  'ledger_day_ready',
  'handover_unsigned',
]);
const HANDOVER_RECIPIENTS: ReadonlySet<string> = new Set(['desk', 'ledger_reviewers']);
/** Repair work orders' triggers, and the only people they reach (and who only they reach). */
const WORK_ORDER_TRIGGERS: ReadonlySet<string> = new Set<Trigger>([
  'work_order_assigned',
  'work_order_overdue',
  'work_order_rework',
]);
const WORK_ORDER_RECIPIENTS: ReadonlySet<string> = new Set(['assignee', 'maintenance_supervisors']);

export const notificationRule = z
  .strictObject({
    on: z.enum(TRIGGERS),
    to: z.enum(RECIPIENTS),
    template: z.enum(TEMPLATES),
    /** Every channel listed on which the recipient has an address; a complainant has one contact. */
    channels: z.array(z.enum(NOTIFICATION_CHANNELS).exclude(['webhook'])).min(1),
  })
  // A rule that could reach nobody is refused rather than stored silent.
  .refine((rule) => HANDOVER_TRIGGERS.has(rule.on) === HANDOVER_RECIPIENTS.has(rule.to), {
    path: ['to'],
    message:
      'the handover book’s triggers (handover_to_sign, ledger_day_ready, handover_unsigned) reach desk or ledger_reviewers, and only they do',
  })
  .refine((rule) => WORK_ORDER_TRIGGERS.has(rule.on) === WORK_ORDER_RECIPIENTS.has(rule.to), {
    path: ['to'],
    message:
      'work orders’ triggers (work_order_assigned, work_order_overdue, work_order_rework) reach assignee or maintenance_supervisors, and only they do',
  });
export type NotificationRule = z.infer<typeof notificationRule>;

const staffChannels = ['email', 'wechat'] as const;
const urgentChannels = ['email', 'wechat', 'sms'] as const;
const complainantChannels = ['sms', 'email'] as const;

/** The default table: what SPEC §7 lists, for the people SPEC §5–§6 name. */
export const DEFAULT_RULES: NotificationRule[] = [
  { on: 'received', to: 'complainant', template: 'receipt', channels: [...complainantChannels] },
  { on: 'received', to: 'handler', template: 'assigned', channels: [...staffChannels] },
  { on: 'acknowledged', to: 'complainant', template: 'progress', channels: [...complainantChannels] },
  { on: 'progress_given', to: 'complainant', template: 'progress', channels: [...complainantChannels] },
  { on: 'approval_requested', to: 'approver', template: 'approval', channels: [...staffChannels] },
  { on: 'resolved', to: 'complainant', template: 'result', channels: [...complainantChannels] },
  { on: 'reopened', to: 'handler', template: 'reopened', channels: [...staffChannels] },
  { on: 'closed', to: 'complainant', template: 'closed', channels: [...complainantChannels] },
  { on: 'reminder', to: 'handler', template: 'reminder', channels: [...staffChannels] },
  { on: 'reminder', to: 'owner', template: 'reminder', channels: [...staffChannels] },
  { on: 'progress_due', to: 'handler', template: 'progress_due', channels: [...staffChannels] },
  { on: 'callback_attempt_due', to: 'caller', template: 'callback_attempt', channels: [...staffChannels] },
  {
    on: 'corrective_action_opened',
    to: 'caller',
    template: 'corrective_action_opened',
    channels: [...staffChannels],
  },
  {
    on: 'corrective_action_overdue',
    to: 'caller',
    template: 'corrective_action_overdue',
    channels: [...staffChannels],
  },
  { on: 'survey_sent', to: 'complainant', template: 'survey', channels: [...complainantChannels] },
  { on: 'breached', to: 'handler', template: 'breach', channels: [...urgentChannels] },
  { on: 'breached', to: 'owner', template: 'breach', channels: [...urgentChannels] },
  { on: 'escalated', to: 'escalation_levels', template: 'escalation', channels: [...urgentChannels] },
  { on: 'merged', to: 'complainant', template: 'merged', channels: [...complainantChannels] },
  { on: 'supervised', to: 'handler', template: 'supervised', channels: [...staffChannels] },
  { on: 'supervision_overdue', to: 'handler', template: 'supervision_overdue', channels: [...staffChannels] },
  { on: 'supervision_overdue', to: 'supervisor', template: 'supervision_overdue', channels: [...staffChannels] },
  // The handover book (交接班本, 工作台帐): the desk signs what the outgoing shift wrote, the
  // supervisor reviews the day; an entry left unsigned is what drops follow-ups.
  { on: 'handover_to_sign', to: 'desk', template: 'handover_to_sign', channels: [...staffChannels] },
  { on: 'ledger_day_ready', to: 'ledger_reviewers', template: 'ledger_day_ready', channels: [...staffChannels] },
  { on: 'handover_unsigned', to: 'desk', template: 'handover_unsigned', channels: [...staffChannels] },
  { on: 'handover_unsigned', to: 'ledger_reviewers', template: 'handover_unsigned', channels: [...staffChannels] },
  // Repair work orders (报修): the worker goes when dispatched or sent back; a missed arrival or
  // completion is for the worker and whoever answers for the property's repairs.
  { on: 'work_order_assigned', to: 'assignee', template: 'work_order_assigned', channels: [...staffChannels] },
  { on: 'work_order_overdue', to: 'assignee', template: 'work_order_overdue', channels: [...staffChannels] },
  {
    on: 'work_order_overdue',
    to: 'maintenance_supervisors',
    template: 'work_order_overdue',
    channels: [...staffChannels],
  },
  { on: 'work_order_rework', to: 'assignee', template: 'work_order_rework', channels: [...staffChannels] },
];

/**
 * Triggers a group's own table without a rule for them still sends the default's: a survey's
 * message is the action itself (it is sent by sending its link); the others came after most
 * tables were saved, and each is work someone must do by a due time that nobody else tracks for
 * them (a desk never told to sign drops follow-ups, as a worker never told of a repair misses it,
 * and an owner never told of a corrective action). A group words them its own way by rules of
 * its own for the trigger.
 */
const ESSENTIAL_TRIGGERS: ReadonlySet<Trigger> = new Set<Trigger>([
  'survey_sent',
  'supervised',
  'supervision_overdue',
  'corrective_action_opened',
  'corrective_action_overdue',
  'handover_to_sign',
  'ledger_day_ready',
  'handover_unsigned',
  'work_order_assigned',
  'work_order_overdue',
  'work_order_rework',
]);

/** The group's rules for a trigger; for an essential one it has none of, the default's. */
export function rulesFor(rules: readonly NotificationRule[], trigger: Trigger): NotificationRule[] {
  const own = rules.filter((rule) => rule.on === trigger);
  if (own.length > 0 || !ESSENTIAL_TRIGGERS.has(trigger)) return own;
  return DEFAULT_RULES.filter((rule) => rule.on === trigger);
}

const ACTION_TRIGGERS: Partial<Record<string, Trigger>> = {
  start: 'received',
  acknowledge: 'acknowledged',
  give_progress: 'progress_given',
  send_survey: 'survey_sent',
  propose_plan: 'approval_requested',
  request_extension: 'approval_requested',
  resolve: 'resolved',
  reopen: 'reopened',
  close: 'closed',
  supervision_overdue: 'supervision_overdue',
  supervise: 'supervised',
  // Sent back: the handler answers again, by the same due time.
  return_supervision: 'supervised',
};

/** Reminders of what is not a deadline; every deadline's is `reminder`. */
const REMINDER_TRIGGERS: Partial<Record<string, Trigger>> = {
  progressUpdate: 'progress_due',
  callbackAttempt: 'callback_attempt_due',
  correctiveActionOverdue: 'corrective_action_overdue',
};

/** A work order's steps that tell someone; the rest (raised, arrived, completed, confirmed) tell nobody. */
const WORK_ORDER_STEP_TRIGGERS: Partial<Record<string, Trigger>> = {
  dispatched: 'work_order_assigned',
  overdue: 'work_order_overdue',
  rework: 'work_order_rework',
};

/** The trigger an event fires, if any. */
export function triggerOf(event: v1.EventEnvelope): Trigger | undefined {
  const transitioned = payloadOf(event, 'transitioned');
  if (transitioned) return ACTION_TRIGGERS[transitioned.action];
  const reminder = payloadOf(event, 'deadline_reminder');
  if (reminder) return REMINDER_TRIGGERS[reminder.deadline] ?? 'reminder';
  if (payloadOf(event, 'deadline_breached')) return 'breached';
  const escalated = payloadOf(event, 'escalated');
  if (escalated) return 'escalated';
  if (payloadOf(event, 'merged')) return 'merged';
  if (payloadOf(event, 'corrective_action')?.step === 'opened') return 'corrective_action_opened';
  const written = payloadOf(event, 'handover_written');
  // A correction is the same entry to sign: told once, at its first write.
  if (written) return written.corrected ? undefined : 'handover_to_sign';
  if (payloadOf(event, 'handover_signed')?.dayReadyForReview) return 'ledger_day_ready';
  const step = payloadOf(event, 'work_order')?.step;
  if (step) return WORK_ORDER_STEP_TRIGGERS[step];
  return undefined;
}
