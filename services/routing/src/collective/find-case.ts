import { Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { DecisionsRepository } from '../classification/decisions.repository';
import type { Decision } from '../classification/decision.schema';
import { IntakeClient } from './intake.client';
import { mergedEvent } from './merged-event';
import { sameMatter } from './same-matter';

/** Who registers collective complaints: routing itself (and how their parents are recognised). */
export const COLLECTIVE_ACTOR = { kind: 'system', id: 'routing-collective', name: 'routing' };

/** A repeat by the same person links to the open case within this window. */
const DUPLICATE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** Complaints about one matter within this window count towards a collective complaint. */
const COLLECTIVE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface JoinedCase {
  id: string;
  number: string;
  reason: 'duplicate' | 'collective';
}

type Draft = Pick<
  Decision,
  | '_id'
  | 'groupId'
  | 'number'
  | 'propertyId'
  | 'category'
  | 'complainantKey'
  | 'receivedAt'
  | 'location'
  | 'locationKey'
  | 'description'
>;

/**
 * Duplicates and collective complaints (SPEC §3): a repeated report by the same complainant
 * on an open case joins that case; five (configurable) distinct complainants about the same
 * matter form a collective complaint, a parent case registered in intake that every member
 * joins, and later members join the open parent.
 */
@Injectable()
export class FindCase {
  private readonly logger = new Logger(FindCase.name);

  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly intake: IntakeClient,
    private readonly bus: EventBus,
  ) {}

  async caseFor(draft: Draft, collectiveMinComplainants: number | null): Promise<JoinedCase | undefined> {
    const since = new Date(draft.receivedAt.getTime() - DUPLICATE_WINDOW_MS);
    const duplicate = await this.decisions.findOpenDuplicate(draft, since);
    if (duplicate) return { id: duplicate._id, number: duplicate.number, reason: 'duplicate' };
    if (collectiveMinComplainants === null) return undefined;

    const recent = await this.decisions.findOpenInCategory(
      draft.groupId,
      draft.propertyId,
      draft.category,
      new Date(draft.receivedAt.getTime() - COLLECTIVE_WINDOW_MS),
    );
    const matter = recent.filter((decision) => decision._id !== draft._id && sameMatter(decision, draft));
    const parent = matter.find((decision) => decision.isCollectiveParent);
    if (parent) return { id: parent._id, number: parent.number, reason: 'collective' };

    const members = matter.filter((decision) => !decision.isCollectiveParent);
    const complainants = new Set([draft.complainantKey, ...members.map((member) => member.complainantKey)]);
    if (complainants.size < collectiveMinComplainants) return undefined;
    const formed = await this.formCollective(draft, members, complainants.size);
    return { ...formed, reason: 'collective' };
  }

  /** Registers the parent in intake (idempotent by its first member) and moves the earlier members under it. */
  private async formCollective(
    draft: Draft,
    members: Decision[],
    complainants: number,
  ): Promise<{ id: string; number: string }> {
    const first = members[0] ?? draft;
    const { complaint } = await this.intake.call.registerComplaint({
      groupId: draft.groupId,
      propertyId: draft.propertyId,
      channel: 'internal',
      receivedAt: first.receivedAt.toISOString(),
      // The parent speaks for many: its complainant is a placeholder naming nobody, and nothing
      // of the members' complainants is copied onto it.
      complainant: {
        name: '集体投诉 Collective complaint',
        contact: `collective:${first._id}`,
        type: 'other',
        unit: '',
        anchorTenant: false,
      },
      location: first.location,
      description: `集体投诉（${complainants} 位投诉人）：${first.description}`.slice(0, 10_000),
      demand: '',
      language: 'zh-CN',
      confidential: false,
      confidentialStaffIds: [],
      coComplainantCount: complainants - 1,
      categoryHint: draft.category,
      severityHint: 'major',
      involvedDepartment: '',
      involvedStaff: '',
      serviceItem: '',
      resolvedAtFirstContact: false,
      firstContactAnswer: '',
      actor: COLLECTIVE_ACTOR,
      // Two replicas forming the same collective at once register it once.
      idempotencyKey: `${COLLECTIVE_ACTOR.id}:${first._id}`,
      requestHash: `collective:${first._id}`,
    });
    if (!complaint) throw new Error('intake answered without the collective complaint');
    for (const member of members) {
      await this.decisions.update(
        draft.groupId,
        member._id,
        { mergedInto: complaint.id, mergedIntoNumber: complaint.number, mergeReason: 'collective', state: 'closed' },
        `joined collective complaint ${complaint.number}`,
      );
      await this.bus.publish(
        mergedEvent({
          groupId: draft.groupId,
          complaintId: member._id,
          into: { id: complaint.id, number: complaint.number },
          reason: 'collective',
          actor: COLLECTIVE_ACTOR,
          idempotencyKey: `merged:${member._id}:${complaint.id}`,
        }),
      );
    }
    this.logger.log(`collective complaint ${complaint.number} formed by ${complainants} complainants`);
    return { id: complaint.id, number: complaint.number };
  }
}
