import { Injectable } from '@nestjs/common';
import { createEvent, EventBus } from '@complaints/messaging';
import { DomainError, NotFoundError } from '@complaints/service-kit';
import { DecisionsRepository } from '../classification/decisions.repository';
import type { Decision } from '../classification/decision.schema';
import { routedPayload } from '../classification/use-cases/route-complaint';
import { chargeMode, nextCharge } from '../keyed/handler-loads';
import { KeyedDocuments } from '../keyed/keyed-documents';
import { mergedEvent } from './merged-event';

type Actor = { kind: string; id: string; name: string };

function refused(message: string): DomainError {
  return new DomainError('failed_precondition', message);
}

function requireReason(reason: string, what: string): string {
  const trimmed = reason.trim();
  if (!trimmed || trimmed.length > 2000) {
    throw new DomainError('invalid_argument', `invalid ${what}: reason is required (at most 2000 characters)`, {
      reason: 'is required: say why',
    });
  }
  return trimmed;
}

/**
 * Staff merge and unmerge by hand (SPEC §3): routing keeps which case each complaint is handled
 * in, so it decides both; escalation pauses or resumes (or first starts) the lifecycle when it
 * sees the event, and intake puts it on the timeline.
 */
@Injectable()
export class MergeByHand {
  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly keyed: KeyedDocuments,
    private readonly bus: EventBus,
  ) {}

  async merge(groupId: string, complaintId: string, intoId: string, actor: Actor, reason: string): Promise<Decision> {
    const note = requireReason(reason, 'merge');
    const target = await this.decision(groupId, intoId);
    const at = new Date();
    // Checked against the source as it is when written (read, decide, write under its lock).
    const result = await this.decisions.change(groupId, complaintId, (source) => {
      // A retried request whose event may not have gone out: publish it again (same id, so once).
      if (source.mergedInto === target._id && source.mergeReason === 'manual' && source.mergeChangedAt)
        return undefined;
      if (source._id === target._id) throw refused('a complaint cannot be merged into itself');
      if (source.mergedInto) throw refused(`${source.number} is already handled in ${source.mergedIntoNumber}`);
      if (source.isCollectiveParent) throw refused(`${source.number} is a collective complaint: unmerge its members`);
      if (source.state !== 'open') throw refused(`${source.number} is closed`);
      if (target.mergedInto) {
        throw refused(`${target.number} is handled in ${target.mergedIntoNumber}: merge into that one`);
      }
      if (target.state !== 'open') throw refused(`${target.number} is closed`);
      // Each property handles its own complaints (SPEC §2–§3): a case never spans two.
      if (target.propertyId !== source.propertyId) {
        throw refused(`${target.number} is at another property than ${source.number}`);
      }
      return {
        set: {
          mergedInto: target._id,
          mergedIntoNumber: target.number,
          mergeReason: 'manual',
          mergeChangedAt: at,
          state: 'closed',
          charge: nextCharge(source.charge, { state: 'closed', handler: source.handler }, at),
        },
        reason: `merged by ${actor.name} into ${target.number} (${note})`,
      };
    });
    if (!result) throw new NotFoundError(`routing decision for complaint ${complaintId}`);
    const updated = result.decision;
    await this.keyed.syncOpenCase(updated);
    await this.keyed.loads.apply(groupId, complaintId, updated.charge, chargeMode(result.before, updated));
    await this.publishMerged(updated, actor, note);
    return updated;
  }

  async unmerge(groupId: string, complaintId: string, actor: Actor, reason: string): Promise<Decision> {
    const why = requireReason(reason, 'unmerge');
    const at = new Date();
    let from = { id: '', number: '' };
    const result = await this.decisions.change(groupId, complaintId, (current) => {
      if (!current.mergedInto) throw refused(`${current.number} is not merged into another complaint`);
      from = { id: current.mergedInto, number: current.mergedIntoNumber };
      return {
        set: {
          mergedInto: '',
          mergedIntoNumber: '',
          mergeReason: '',
          mergeChangedAt: at,
          state: 'open',
          charge: nextCharge(current.charge, { state: 'open', handler: current.handler }, at),
        },
        reason: `taken out of ${current.mergedIntoNumber} by ${actor.name} (${why})`,
      };
    });
    if (!result) throw new NotFoundError(`routing decision for complaint ${complaintId}`);
    const updated = result.decision;
    // Open on its own again: a case others may join, and its handler's load.
    await this.keyed.syncOpenCase(updated);
    await this.keyed.loads.apply(groupId, complaintId, updated.charge, chargeMode(result.before, updated));
    await this.bus.publish(
      createEvent(
        'unmerged',
        { groupId, complaintId, idempotencyKey: `unmerged:${complaintId}:${at.toISOString()}`, occurredAt: at },
        {
          fromComplaintId: from.id,
          fromNumber: from.number,
          actor,
          reason: why,
          // Its own deadlines start now: the time it spent merged was handled elsewhere.
          routed: routedPayload(updated, at.toISOString()),
        },
      ),
    );
    return updated;
  }

  private async publishMerged(decision: Decision, actor: Actor, note: string): Promise<void> {
    const at = decision.mergeChangedAt ?? new Date();
    await this.bus.publish(
      mergedEvent({
        groupId: decision.groupId,
        complaintId: decision._id,
        into: { id: decision.mergedInto, number: decision.mergedIntoNumber },
        reason: 'manual',
        actor,
        note,
        idempotencyKey: `merged:${decision._id}:${decision.mergedInto}:${at.toISOString()}`,
        occurredAt: at,
      }),
    );
  }

  private async decision(groupId: string, complaintId: string): Promise<Decision> {
    const decision = await this.decisions.find(groupId, complaintId);
    if (!decision) throw new NotFoundError(`routing decision for complaint ${complaintId}`);
    return decision;
  }
}
