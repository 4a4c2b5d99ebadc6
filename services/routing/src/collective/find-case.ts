import { Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@complaints/messaging';
import { DecisionsRepository } from '../classification/decisions.repository';
import type { Decision } from '../classification/decision.schema';
import { REPEAT_WINDOW_MS } from '../keyed/complainant-histories';
import { chargeMode, nextCharge, HandlerLoads } from '../keyed/handler-loads';
import type { OpenCase, PastComplaint } from '../keyed/keyed.schema';
import { COLLECTIVE_WINDOW_MS } from '../keyed/open-cases';
import { IntakeClient } from './intake.client';
import { mergedEvent } from './merged-event';
import { sameMatter } from './same-matter';

/** Who registers collective complaints: routing itself (and how their parents are recognised). */
export const COLLECTIVE_ACTOR = { kind: 'system', id: 'routing-collective', name: 'routing' };

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
    private readonly loads: HandlerLoads,
  ) {}

  /**
   * The open case of the same complainant about the same category at the property, oldest first,
   * from the complainant's history (`past`, read under its lock); whether it is still open and on
   * its own is read from its decision, the one place that says so.
   */
  async duplicateOf(draft: Draft, past: readonly PastComplaint[]): Promise<JoinedCase | undefined> {
    const since = draft.receivedAt.getTime() - REPEAT_WINDOW_MS;
    const candidates = past.filter(
      (entry) =>
        entry.id !== draft._id &&
        entry.propertyId === draft.propertyId &&
        entry.category === draft.category &&
        entry.receivedAt.getTime() >= since,
    );
    for (const candidate of candidates) {
      const decision = await this.decisions.find(draft.groupId, candidate.id);
      if (
        decision &&
        decision.state === 'open' &&
        !decision.mergedInto &&
        !decision.isCollectiveParent &&
        // A history a crash left behind a change (reclassified, erased) is not taken at its word.
        decision.complainantKey === draft.complainantKey &&
        decision.propertyId === draft.propertyId &&
        decision.category === draft.category
      ) {
        return { id: decision._id, number: decision.number, reason: 'duplicate' };
      }
    }
    return undefined;
  }

  /**
   * The collective case the draft joins, from the matter's open cases (`cases`, read under its
   * lock): an open parent, or a new one once enough distinct complainants reported the matter.
   * `left` names the cases that are no longer open on their own (merged under the new parent).
   */
  async collectiveFor(
    draft: Draft,
    cases: readonly OpenCase[],
    collectiveMinComplainants: number | null,
  ): Promise<{ joined?: JoinedCase; left: string[] }> {
    if (collectiveMinComplainants === null) return { left: [] };
    const since = draft.receivedAt.getTime() - COLLECTIVE_WINDOW_MS;
    const matter = cases.filter(
      (entry) => entry.id !== draft._id && entry.receivedAt.getTime() >= since && sameMatter(entry, draft),
    );
    const parent = matter.find((entry) => entry.isCollectiveParent);
    if (parent) return { joined: { id: parent.id, number: parent.number, reason: 'collective' }, left: [] };

    const members = matter.filter((entry) => !entry.isCollectiveParent);
    const complainants = new Set([draft.complainantKey, ...members.map((member) => member.complainantKey)]);
    if (complainants.size < collectiveMinComplainants) return { left: [] };
    const formed = await this.formCollective(draft, members, complainants.size);
    return { joined: { ...formed, reason: 'collective' }, left: members.map((member) => member.id) };
  }

  /** Registers the parent in intake (idempotent by its first member) and moves the earlier members under it. */
  private async formCollective(
    draft: Draft,
    members: OpenCase[],
    complainants: number,
  ): Promise<{ id: string; number: string }> {
    const first = members[0] ?? { ...draft, id: draft._id };
    const { complaint } = await this.intake.call.registerComplaint({
      groupId: draft.groupId,
      propertyId: draft.propertyId,
      channel: 'internal',
      receivedAt: first.receivedAt.toISOString(),
      // The parent speaks for many: its complainant is a placeholder naming nobody, and nothing
      // of the members' complainants is copied onto it.
      complainant: {
        name: '集体投诉 Collective complaint',
        contact: `collective:${first.id}`,
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
      idempotencyKey: `${COLLECTIVE_ACTOR.id}:${first.id}`,
      requestHash: `collective:${first.id}`,
    });
    if (!complaint) throw new Error('intake answered without the collective complaint');
    const parent = { id: complaint.id, number: complaint.number };
    for (const member of members) {
      const result = await this.decisions.change(draft.groupId, member.id, (current) =>
        current.state === 'open' && !current.mergedInto
          ? {
              set: {
                mergedInto: parent.id,
                mergedIntoNumber: parent.number,
                mergeReason: 'collective',
                state: 'closed',
                charge: nextCharge(current.charge, { state: 'closed', handler: current.handler }),
              },
              reason: `joined collective complaint ${parent.number}`,
            }
          : undefined,
      );
      // Closed or merged elsewhere since it was listed: it stays where it is.
      if (!result || result.decision.mergedInto !== parent.id) continue;
      await this.loads.apply(
        draft.groupId,
        member.id,
        result.decision.charge,
        chargeMode(result.before, result.decision),
      );
      await this.bus.publish(
        mergedEvent({
          groupId: draft.groupId,
          complaintId: member.id,
          into: parent,
          reason: 'collective',
          actor: COLLECTIVE_ACTOR,
          idempotencyKey: `merged:${member.id}:${parent.id}`,
        }),
      );
    }
    this.logger.log(`collective complaint ${complaint.number} formed by ${complainants} complainants`);
    return { id: complaint.id, number: complaint.number };
  }
}
