import { v1 } from '@complaints/contracts';
import { createEvent } from '@complaints/messaging';

// A known week of complaints for the demo group (ISO week 2026-W48 in Asia/Shanghai: Monday
// 23 to Sunday 29 November), with the figures worked out by hand in EXPECTED_W48 below.
//
//   C1 sh-mall  phone     facilities  general    ack 0.5h, resolve 10h, callback satisfied, closed
//   C2 sh-mall  wechat    facilities  important  ack 4h (firstReplyBy missed → manager), resolve 50h,
//                                                callbackBy missed, callback dissatisfied, reopened
//                                                (round 2 → property_head), resolve, basically satisfied
//   C3 sh-mall  phone     facilities  general    ack 1h, resolveBy missed (→ supervisor), still open
//   C4 sh-tower email     service     major      on receipt → property_head, ack 2h, resolveBy missed
//                                                (→ regional_gm), resolve 100h, callback dissatisfied
//   C5 gz-estate walk_in  repair      general    closed at first contact
//   C6 gz-estate phone    environment general    withdrawn
//   C7 sh-mall  phone     facilities  general    a duplicate of C1: merged
//   C8 sh-tower phone     repair      general    received Monday 30 Nov 00:30 in Shanghai (still
//                                                Sunday in UTC): week 49, not 48
//   O1 another group's complaint in the same week: never in the demo group's figures.
//
// C1, C2 and C3 share the location "B1 停车场" (written three ways): a recurring problem; C7
// shares it too but, merged, does not count.

export const GROUP = 'demo-group';
export const OTHER_GROUP = 'other-group';
const HOUR = 3_600_000;

type Lifecycle = { status: string; severity: string; round?: number; level?: string };

interface Builder {
  id: string;
  number: string;
  events: v1.EventEnvelope[];
}

function complaint(id: string, number: string): Builder {
  return { id, number, events: [] };
}

function at(receivedAt: string, hours: number): Date {
  return new Date(Date.parse(receivedAt) + hours * HOUR);
}

function header(group: string, b: Builder, occurredAt: Date, key: string, lifecycle?: Lifecycle) {
  return {
    groupId: group,
    complaintId: b.id,
    occurredAt,
    idempotencyKey: `${b.id}:${key}`,
    lifecycle: lifecycle
      ? v1.LifecycleSnapshot.fromPartial({ round: 1, level: 'frontline', deadlines: {}, ...lifecycle })
      : undefined,
  };
}

interface Facts {
  group?: string;
  propertyId: string;
  regionId: string;
  channel: string;
  receivedAt: string;
  location: string;
  category: string;
  severity: string;
  department: string;
  handler: { id: string; name: string };
  firstContact?: boolean;
  mergedInto?: string;
}

function registerAndRoute(b: Builder, facts: Facts): void {
  const group = facts.group ?? GROUP;
  const received = new Date(facts.receivedAt);
  b.events.push(
    createEvent('registered', header(group, b, at(facts.receivedAt, 0.01), 'registered'), {
      complaint: v1.Complaint.fromPartial({
        id: b.id,
        number: b.number,
        groupId: group,
        propertyId: facts.propertyId,
        regionId: facts.regionId,
        channel: facts.channel,
        receivedAt: received.toISOString(),
        location: facts.location,
        description: '投诉内容',
        status: facts.firstContact ? 'closed' : 'registered',
        language: 'zh-CN',
        resolvedAtFirstContact: facts.firstContact ?? false,
        firstContactAnswer: facts.firstContact ? '已当场答复' : '',
      }),
    }),
    createEvent(
      'routed',
      header(group, b, at(facts.receivedAt, 0.02), 'routed'),
      v1.ComplaintRouted.fromPartial({
        number: b.number,
        propertyId: facts.propertyId,
        regionId: facts.regionId,
        channel: facts.channel,
        receivedAt: received.toISOString(),
        category: facts.category,
        severity: facts.severity,
        department: facts.department,
        handler: { kind: 'staff', ...facts.handler },
        resolvedAtFirstContact: facts.firstContact ?? false,
        mergedInto: facts.mergedInto ?? '',
        reasons: [],
        firedRules: [],
      }),
    ),
  );
}

function step(
  b: Builder,
  receivedAt: string,
  hours: number,
  action: string,
  to: string,
  lifecycle: Lifecycle,
  details: Record<string, unknown> = {},
): void {
  b.events.push(
    createEvent(
      'transitioned',
      header(GROUP, b, at(receivedAt, hours), `${action}@${hours}`, lifecycle),
      v1.LifecycleTransitioned.fromPartial({
        action,
        toStatus: to,
        actor: { kind: 'staff', id: 's-zhao-min', name: '赵敏 Zhao Min' },
        detailsJson: JSON.stringify(details),
      }),
    ),
  );
}

function breach(b: Builder, receivedAt: string, hours: number, deadline: string, severity: string): void {
  b.events.push(
    createEvent('deadline_breached', header(GROUP, b, at(receivedAt, hours), `breach:${deadline}@${hours}`), {
      deadline,
      dueAt: at(receivedAt, hours).toISOString(),
      severity,
    }),
  );
}

function escalate(b: Builder, receivedAt: string, hours: number, from: string, to: string, cause: string): void {
  b.events.push(
    createEvent(
      'escalated',
      header(GROUP, b, at(receivedAt, hours), `escalated:${to}@${hours}`),
      v1.ComplaintEscalated.fromPartial({ fromLevel: from, toLevel: to, cause, notifyLevels: [to] }),
    ),
  );
}

const LI_NA = { id: 's-li-na', name: '李娜 Li Na' };
const SUN_LI = { id: 's-sun-li', name: '孙丽 Sun Li' };
const HUANG_MEI = { id: 's-huang-mei', name: '黄梅 Huang Mei' };

export function knownComplaints(): Record<string, Builder> {
  const c1 = complaint('rep-c1', 'SHM01-20261123-0001');
  const r1 = '2026-11-23T09:00:00+08:00';
  registerAndRoute(c1, {
    propertyId: 'sh-mall',
    regionId: 'east',
    channel: 'phone',
    receivedAt: r1,
    location: 'B1 停车场',
    category: 'facilities_equipment',
    severity: 'general',
    department: 'engineering',
    handler: LI_NA,
  });
  const general = { severity: 'general' };
  step(c1, r1, 0.1, 'start', 'assigned', { ...general, status: 'assigned' });
  step(c1, r1, 0.5, 'acknowledge', 'acknowledged', { ...general, status: 'acknowledged' }, { reply: '已收到' });
  step(
    c1,
    r1,
    10,
    'resolve',
    'resolved',
    { ...general, status: 'resolved' },
    { validity: 'valid', liability: 'responsible' },
  );
  step(
    c1,
    r1,
    30,
    'record_callback',
    'callback_done',
    { ...general, status: 'callback_done' },
    {
      outcome: 'completed',
      method: 'phone',
      satisfaction: 'satisfied',
    },
  );
  step(c1, r1, 31, 'close', 'closed', { ...general, status: 'closed' });

  const c2 = complaint('rep-c2', 'SHM01-20261124-0001');
  const r2 = '2026-11-24T10:00:00+08:00';
  registerAndRoute(c2, {
    propertyId: 'sh-mall',
    regionId: 'east',
    channel: 'wechat',
    receivedAt: r2,
    location: ' b1  停车场 ',
    category: 'facilities_equipment',
    severity: 'important',
    department: 'engineering',
    handler: LI_NA,
  });
  const important = { severity: 'important' };
  step(c2, r2, 0.1, 'start', 'assigned', { ...important, status: 'assigned' });
  breach(c2, r2, 3, 'firstReplyBy', 'important');
  escalate(c2, r2, 3, 'frontline', 'manager', 'breach:firstReplyBy');
  step(c2, r2, 4, 'acknowledge', 'acknowledged', { ...important, status: 'acknowledged', level: 'manager' });
  step(
    c2,
    r2,
    50,
    'resolve',
    'resolved',
    { ...important, status: 'resolved', level: 'manager' },
    { validity: 'valid' },
  );
  breach(c2, r2, 122, 'callbackBy', 'important');
  step(
    c2,
    r2,
    125,
    'record_callback',
    'callback_done',
    { ...important, status: 'callback_done' },
    {
      outcome: 'completed',
      satisfaction: 'dissatisfied',
    },
  );
  step(c2, r2, 126, 'reopen', 'investigating', { ...important, status: 'investigating', round: 2 }, { round: 2 });
  escalate(c2, r2, 126, 'manager', 'property_head', 'reopen:round_2');
  step(c2, r2, 140, 'resolve', 'resolved', { ...important, status: 'resolved', round: 2 }, { validity: 'valid' });
  step(
    c2,
    r2,
    150,
    'record_callback',
    'callback_done',
    { ...important, status: 'callback_done', round: 2 },
    {
      outcome: 'completed',
      satisfaction: 'basically_satisfied',
    },
  );

  const c3 = complaint('rep-c3', 'SHM01-20261125-0001');
  const r3 = '2026-11-25T08:00:00+08:00';
  registerAndRoute(c3, {
    propertyId: 'sh-mall',
    regionId: 'east',
    channel: 'phone',
    receivedAt: r3,
    location: 'B1 停车场',
    category: 'facilities_equipment',
    severity: 'general',
    department: 'engineering',
    handler: SUN_LI,
  });
  step(c3, r3, 0.1, 'start', 'assigned', { ...general, status: 'assigned' });
  step(c3, r3, 1, 'acknowledge', 'acknowledged', { ...general, status: 'acknowledged' });
  breach(c3, r3, 48, 'resolveBy', 'general');
  escalate(c3, r3, 48, 'frontline', 'supervisor', 'breach:resolveBy');

  const c4 = complaint('rep-c4', 'SHT01-20261126-0001');
  const r4 = '2026-11-26T12:00:00+08:00';
  registerAndRoute(c4, {
    propertyId: 'sh-tower',
    regionId: 'east',
    channel: 'email',
    receivedAt: r4,
    location: '大堂',
    category: 'service_quality',
    severity: 'major',
    department: 'customer_service',
    handler: HUANG_MEI,
  });
  const major = { severity: 'major' };
  step(c4, r4, 0.1, 'start', 'assigned', { ...major, status: 'assigned', level: 'property_head' });
  escalate(c4, r4, 0.1, 'frontline', 'property_head', 'on_receipt');
  step(c4, r4, 2, 'acknowledge', 'acknowledged', { ...major, status: 'acknowledged' });
  breach(c4, r4, 72, 'resolveBy', 'major');
  escalate(c4, r4, 72, 'property_head', 'regional_gm', 'breach:resolveBy');
  step(c4, r4, 100, 'resolve', 'resolved', { ...major, status: 'resolved' }, { validity: 'valid' });
  step(
    c4,
    r4,
    110,
    'record_callback',
    'callback_done',
    { ...major, status: 'callback_done' },
    {
      outcome: 'completed',
      satisfaction: 'dissatisfied',
    },
  );

  const c5 = complaint('rep-c5', 'GZE01-20261127-0001');
  registerAndRoute(c5, {
    propertyId: 'gz-estate',
    regionId: 'south',
    channel: 'walk_in',
    receivedAt: '2026-11-27T15:00:00+08:00',
    location: '3栋',
    category: 'repair',
    severity: 'general',
    department: 'engineering',
    handler: LI_NA,
    firstContact: true,
  });

  const c6 = complaint('rep-c6', 'GZE01-20261128-0001');
  const r6 = '2026-11-28T20:00:00+08:00';
  registerAndRoute(c6, {
    propertyId: 'gz-estate',
    regionId: 'south',
    channel: 'phone',
    receivedAt: r6,
    location: '',
    category: 'environment_public_area',
    severity: 'general',
    department: 'customer_service',
    handler: LI_NA,
  });
  step(c6, r6, 0.1, 'start', 'assigned', { ...general, status: 'assigned' });
  c6.events.push(
    createEvent('withdrawn', header(GROUP, c6, at(r6, 12), 'withdrawn'), {
      actor: { kind: 'partner', id: 'k1', name: 'hotline' },
      reason: '已自行解决',
    }),
  );

  const c7 = complaint('rep-c7', 'SHM01-20261129-0001');
  registerAndRoute(c7, {
    propertyId: 'sh-mall',
    regionId: 'east',
    channel: 'phone',
    receivedAt: '2026-11-29T23:30:00+08:00',
    location: 'B1 停车场',
    category: 'facilities_equipment',
    severity: 'general',
    department: 'engineering',
    handler: LI_NA,
    mergedInto: 'rep-c1',
  });

  const c8 = complaint('rep-c8', 'SHT01-20261130-0001');
  registerAndRoute(c8, {
    propertyId: 'sh-tower',
    regionId: 'east',
    channel: 'phone',
    receivedAt: '2026-11-30T00:30:00+08:00',
    location: '电梯',
    category: 'repair',
    severity: 'general',
    department: 'engineering',
    handler: HUANG_MEI,
  });

  const o1 = complaint('rep-o1', 'OTH01-20261124-0001');
  registerAndRoute(o1, {
    group: OTHER_GROUP,
    propertyId: 'sh-mall',
    regionId: 'east',
    channel: 'phone',
    receivedAt: '2026-11-24T09:00:00+08:00',
    location: 'B1 停车场',
    category: 'facilities_equipment',
    severity: 'major',
    department: 'engineering',
    handler: LI_NA,
  });
  return { c1, c2, c3, c4, c5, c6, c7, c8, o1 };
}

/** The demo group's 2026-W48 figures, group scope, worked out by hand from the table above. */
export const EXPECTED_W48 = {
  received: 7,
  open: 3, // C2 callback_done, C3 acknowledged, C4 callback_done
  closed: 2, // C1, C5
  closedAtFirstContact: 1,
  withdrawn: 1,
  merged: 1,
  // None of the known week's complaints was invalid, non-liable or assisted (figures.spec.ts counts some).
  invalid: 0,
  nonLiable: 0,
  assisted: 0,
  // Nobody of the known week was complained about by name, rewarded or penalised (staff-consequences e2e counts some).
  aboutStaff: 0,
  rewards: 0,
  penalties: 0,
  // Nothing of the known week was supervised or spot-checked (figures.spec.ts counts some).
  supervised: 0,
  supervisionOverdue: 0,
  spotChecked: 0,
  nonconforming: 0,
  // Nor did any get a remedy (figures.spec.ts counts some).
  remedied: 0,
  remedyYuan: 0,
  // Nor was any corrective action opened for them (figures.spec.ts and the corrective-actions e2e count some).
  correctiveActions: 0,
  correctiveActionsVerified: 0,
  correctiveActionsOverdue: 0,
  // No repair work order was raised in the known week (figures.spec.ts and work-order-figures e2e count some).
  workOrders: 0,
  workOrdersArrivedLate: 0,
  workOrdersCompletedLate: 0,
  workOrdersReworked: 0,
  workOrdersConfirmed: 0,
  workOrderRatingMean: null,
  workOrderRepeatRepairs: 0,
  firstReplyHoursMean: 1.88, // (0.5 + 4 + 1 + 2) / 4 = 1.875
  firstReplyHoursMedian: 1.5, // (1 + 2) / 2
  firstReplyHoursP90: 4, // rank ⌈0.9 × 4⌉ = 4
  resolutionHoursMean: 53.33, // (10 + 50 + 100) / 3
  resolutionHoursMedian: 50,
  resolutionHoursP90: 100, // rank ⌈0.9 × 3⌉ = 3
  firstReplyOnTimeRate: 0.75, // C1, C3, C4 of C1–C4
  resolutionOnTimeRate: 0.5, // C1, C2 of C1–C4 (C3 and C4 missed resolveBy)
  callbackOnTimeRate: 0.6667, // C1, C4 of C1, C2, C4
  satisfactionRate: 0.6667, // C1 satisfied, C2 basically satisfied, C4 dissatisfied
  reopenRate: 0.3333, // C2 of C1, C2, C4
  breaches: 4,
  escalations: 5,
  escalationsByLevel: { manager: 1, property_head: 2, regional_gm: 1, supervisor: 1 },
};
