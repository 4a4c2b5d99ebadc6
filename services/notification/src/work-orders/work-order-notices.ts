import { Injectable } from '@nestjs/common';
import type { v1 } from '@complaints/contracts';
import type { Language, Trigger } from '@complaints/domain';
import { payloadOf } from '@complaints/messaging';
import { DirectoryClient } from '@complaints/service-kit';
import type { PlannedDelivery } from '../deliveries/deliver-now';
import { planStaffNotices } from '../deliveries/plan-staff-notices';
import { maintenanceSupervisorsOf } from '../deliveries/staff-scope';
import { triggerOf } from '../rules/notification-rules';
import { SettingsRepository } from '../settings/settings.repository';
import { SuspendedGroupsRepository } from '../settings/suspended-groups.repository';
import { localTime, word, workOrderWord } from '../templates/templates';

export type WorkOrderTrigger = Extract<Trigger, 'work_order_assigned' | 'work_order_overdue' | 'work_order_rework'>;

const WORK_ORDER_TRIGGERS: ReadonlySet<Trigger> = new Set<WorkOrderTrigger>([
  'work_order_assigned',
  'work_order_overdue',
  'work_order_rework',
]);

/**
 * Turns a work order's step into deliveries to staff, by the group's rules for its trigger (SPEC
 * §7): `assignee` is who the work order is assigned to, `maintenance_supervisors` the supervisors
 * of the property's engineering department (else its property head). Everything a message says
 * comes with the event, so nothing is read but the directory. The deliveries' ids come from the
 * event's (one per step of the work order), so a redelivered event plans the same ones again and
 * an overdue stage, announced once by intake, is told once. No case, and no partner webhook.
 */
@Injectable()
export class WorkOrderNotices {
  constructor(
    readonly settings: SettingsRepository,
    readonly directory: DirectoryClient,
    readonly suspendedGroups: SuspendedGroupsRepository,
  ) {}

  async plan(event: v1.EventEnvelope): Promise<PlannedDelivery[]> {
    const step = payloadOf(event, 'work_order');
    const trigger = triggerOf(event);
    if (!step || !trigger || !WORK_ORDER_TRIGGERS.has(trigger)) return [];
    const assigneeId = step.assignee?.id ?? '';
    return planStaffNotices(
      this,
      {
        groupId: event.groupId,
        trigger,
        propertyId: step.propertyId,
        sourceId: event.eventId,
        sourceType: event.type,
        // The work order's key (work-order:<id>): what the deliveries are about.
        recordKey: event.complaintId,
      },
      (rule, directory) =>
        rule.to === 'assignee'
          ? directory.staff.filter((member) => assigneeId !== '' && member.id === assigneeId && !member.inactive)
          : rule.to === 'maintenance_supervisors'
            ? maintenanceSupervisorsOf(directory.staff, directory.departments, step.propertyId)
            : [],
      (propertyName, timeZone, language) => paramsOf(step, propertyName, timeZone, language),
    );
  }
}

/** The `{name}`s the work-order templates fill, in the recipient's language and the property's time zone. */
export function paramsOf(
  step: v1.WorkOrderStepped,
  propertyName: string,
  timeZone: string,
  language: Language,
): Record<string, string> {
  const dueAt = step.stage === 'completion' ? step.completeBy : step.stage === 'arrival' ? step.arriveBy : '';
  return {
    number: step.number,
    property: propertyName,
    location: step.location || '—',
    trade: workOrderWord(language, 'trade', step.trade),
    urgency: workOrderWord(language, 'urgency', step.urgency),
    arriveBy: localTime(step.arriveBy, timeZone, language),
    completeBy: localTime(step.completeBy, timeZone, language),
    stage: step.stage ? workOrderWord(language, 'stage', step.stage) : '',
    dueAt: dueAt ? localTime(dueAt, timeZone, language) : '',
    assignee: step.assignee?.name || word(language, 'work_order:unassigned'),
    rating: String(step.rating),
    reworks: String(step.reworks),
  };
}
