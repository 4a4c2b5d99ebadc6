// SPEC §7: the words of a group's notification rules table. Here rather than in the notification
// service so that the console lists them as the service accepts them.

/** The ways notification reaches people and systems (not the channels a complaint came in by, `CHANNELS`). */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'wechat', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/**
 * What happened, in the words of the rules table (SPEC §7). One event gives at most one
 * trigger; events nobody is told about give none.
 */
export const TRIGGERS = [
  'received',
  'acknowledged',
  'progress_given',
  'approval_requested',
  'resolved',
  'reopened',
  'closed',
  'reminder',
  'progress_due',
  'callback_attempt_due',
  /** A corrective action (纠正与预防措施) passed its due time without being done. */
  'corrective_action_overdue',
  'survey_sent',
  'breached',
  'escalated',
  'merged',
  /** A supervision from above (督办) passed its due time without an answer. */
  'supervision_overdue',
  /** A complaint was put under supervision from above (督办), or its answer sent back: the handler answers. */
  'supervised',
  /** A corrective action (纠正与预防措施) was opened: its owner carries it out by its due time. */
  'corrective_action_opened',
  /** A handover entry was written (交接班): the incoming shift reads and signs it. */
  'handover_to_sign',
  /** Every handover of a property's day is signed and the day is over: the ledger waits for its review (工作台帐). */
  'ledger_day_ready',
  /** A handover entry is still unsigned hours after its shift ended: its follow-ups may be dropped. */
  'handover_unsigned',
  /** A repair work order (报修单) was dispatched, by hand or by the dispatch rule: its assignee goes. */
  'work_order_assigned',
  /** A work order's arrive-by or complete-by time passed with that stage not done. */
  'work_order_overdue',
  /** The requester found the repair not done (返工): the work order is back with its assignee. */
  'work_order_rework',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const RECIPIENTS = [
  'complainant',
  'handler',
  'owner',
  'property_head',
  'escalation_levels',
  'approver',
  /**
   * The staff member the event names: who made the last failed callback attempt
   * (callback_attempt_due), or a corrective action's owner (corrective_action_opened, _overdue).
   */
  'caller',
  /** Who gave the supervision (督办) that is overdue (supervision_overdue). */
  'supervisor',
  /**
   * The property's desk, for the handover book: its frontline staff and supervisors, but not the
   * outgoing shift that wrote the entry (they may not sign it).
   */
  'desk',
  /**
   * Who reviews the property's ledger: its supervisors (or, where it has none, its managers, else
   * its property head), the lowest level the gateway lets review a day.
   */
  'ledger_reviewers',
  /** Who a repair work order is assigned to (its maintenance worker). */
  'assignee',
  /**
   * Who answers for the property's repairs: the supervisors of its engineering department (工程部),
   * or, where it has none, its property head.
   */
  'maintenance_supervisors',
] as const;
export type RecipientKind = (typeof RECIPIENTS)[number];

export const TEMPLATES = [
  'receipt',
  'assigned',
  'progress',
  'approval',
  'result',
  /** The result of a complaint resolved as invalid (不予受理): why, and no callback announced. */
  'not_accepted',
  /** The result of a complaint found non-liable (无责任): the explanation, and no callback announced. */
  'not_liable',
  'reopened',
  'closed',
  'reminder',
  'progress_due',
  'callback_attempt',
  'corrective_action_overdue',
  'survey',
  'breach',
  'escalation',
  'merged',
  'digest',
  'supervision_overdue',
  'supervised',
  /** The `supervised` message when the supervisor sent the answer back (chosen by the event). */
  'supervision_returned',
  'corrective_action_opened',
  'handover_to_sign',
  'ledger_day_ready',
  'handover_unsigned',
  'work_order_assigned',
  'work_order_overdue',
  'work_order_rework',
] as const;
export type TemplateKey = (typeof TEMPLATES)[number];
