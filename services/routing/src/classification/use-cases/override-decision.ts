import { Injectable } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { category, severity, LIABILITIES } from '@complaints/domain';
import { createEvent, EventBus } from '@complaints/messaging';
import { DomainError, invalidArgument, NotFoundError } from '@complaints/service-kit';
import { z } from 'zod';
import { AssignComplaint, staffCandidates } from '../../assignment/assign-complaint';
import { DirectoryClient } from '../../assignment/directory.client';
import { chargeMode, nextCharge } from '../../keyed/handler-loads';
import { KeyedDocuments } from '../../keyed/keyed-documents';
import { DecisionsRepository } from '../decisions.repository';
import type { Decision } from '../decision.schema';
import { RoutingSettingsRepository } from '../routing-settings';
import { locationKey } from '../../collective/same-matter';
import { severityForLiability } from '../rules';

type Actor = { kind: string; id: string; name: string };

const reclassification = z.object({
  reason: z.string().trim().min(1, 'is required: say why').max(2000),
  category: category.optional(),
  severity: severity.optional(),
  department: z
    .string()
    .regex(/^[a-z0-9_-]{1,64}$/)
    .optional(),
  liability: z.enum(LIABILITIES).optional(),
});

/** Staff overrides of routing (SPEC §3): every change is recorded with who and why, and published. */
@Injectable()
export class OverrideDecision {
  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly settings: RoutingSettingsRepository,
    private readonly assign: AssignComplaint,
    private readonly directory: DirectoryClient,
    private readonly keyed: KeyedDocuments,
    private readonly bus: EventBus,
  ) {}

  async reclassify(
    groupId: string,
    complaintId: string,
    actor: Actor,
    input: { reason: string; category?: string; severity?: string; department?: string; liability?: string },
  ): Promise<Decision> {
    const parsed = reclassification.safeParse(input);
    if (!parsed.success) {
      throw invalidArgument('reclassification', parsed.error.issues);
    }
    const change = parsed.data;
    const current = await this.decision(groupId, complaintId);
    const next = {
      category: change.category ?? current.category,
      severity: change.severity ?? current.severity,
      department: change.department ?? current.department,
      liability: change.liability ?? current.liability,
    };
    // A responsible complaint of an anchor tenant is major (SPEC §3); staff may still set it higher, never lower here.
    if (next.liability) {
      next.severity = severityForLiability(next.severity, {
        anchorTenant: current.anchorTenant,
        liability: next.liability,
      });
    }
    const changes = (['category', 'severity', 'department', 'liability'] as const)
      .filter((field) => next[field] !== current[field])
      .map((field) => `${field}: ${current[field] || '—'} → ${next[field]}`);
    if (changes.length === 0) {
      throw new DomainError('invalid_argument', 'invalid reclassification: nothing changes', {
        '(body)': 'changes nothing',
      });
    }

    let assignment: Partial<Decision> = {};
    if (next.department !== current.department || (next.severity === 'major' && !current.propertyHead)) {
      const { departments } = await this.settings.forGroup(groupId);
      const chosen = await this.assign.choose(groupId, current.propertyId, next.category, next.severity, {
        ...departments,
        // The override names the department outright.
        properties: { [current.propertyId]: { [next.category]: next.department } },
      });
      assignment = {
        departmentId: chosen.departmentId,
        handler: next.department !== current.department ? chosen.handler : current.handler,
        propertyHead: current.propertyHead ?? chosen.propertyHead,
      };
    }
    const result = await this.decisions.change(groupId, complaintId, (latest) => ({
      set: {
        ...next,
        ...assignment,
        charge: nextCharge(latest.charge, {
          state: latest.state,
          handler: assignment.handler !== undefined ? assignment.handler : latest.handler,
        }),
      },
      reason: `override by ${actor.name}: ${changes.join('; ')} (${change.reason})`,
    }));
    if (!result) throw new NotFoundError(`complaint ${complaintId}`);
    const updated = result.decision;
    // Another category is another matter: the complainant's history and the open cases follow it.
    await this.keyed.sync(updated, chargeMode(result.before, updated), result.before);
    await this.bus.publish(
      createEvent(
        'reclassified',
        { groupId, complaintId },
        v1.ComplaintReclassified.fromPartial({ actor, reason: change.reason, ...next, changes }),
      ),
    );
    return updated;
  }

  /**
   * To the staff member named, or, with no one named, by the rules (department by category,
   * the on-duty member with the fewest open complaints, the property head for a major one): how
   * the open work of a deactivated staff member or department is handed on.
   */
  async reassign(
    groupId: string,
    complaintId: string,
    actor: Actor,
    handlerId: string,
    reason: string,
  ): Promise<Decision> {
    if (!reason.trim())
      throw new DomainError('invalid_argument', 'invalid reassignment: reason is required', {
        reason: 'is required: say why',
      });
    const current = await this.decision(groupId, complaintId);
    // Reassignments follow deactivations: the staff and departments as they are now, not as cached.
    this.directory.forget(groupId);
    let assignment: Pick<Decision, 'handler' | 'departmentId'> & Partial<Pick<Decision, 'department' | 'propertyHead'>>;
    if (handlerId) {
      const staff = staffCandidates(await this.directory.directory(groupId));
      const handler = staff.find((member) => member.id === handlerId);
      if (!handler || !handler.propertyIds.includes(current.propertyId)) {
        throw new DomainError(
          'invalid_argument',
          `invalid reassignment: ${handlerId} does not work at ${current.propertyId}`,
          {
            handlerId: 'is not a staff member of this property',
          },
        );
      }
      assignment = {
        handler: { id: handler.id, name: handler.name },
        departmentId: handler.departmentId || current.departmentId,
      };
    } else {
      const { departments } = await this.settings.forGroup(groupId);
      const chosen = await this.assign.choose(
        groupId,
        current.propertyId,
        current.category,
        current.severity,
        departments,
      );
      assignment = {
        handler: chosen.handler,
        departmentId: chosen.departmentId,
        department: chosen.department,
        propertyHead: current.severity === 'major' ? chosen.propertyHead : current.propertyHead,
      };
    }
    const handler = assignment.handler;
    const result = await this.decisions.change(groupId, complaintId, (latest) => ({
      set: {
        ...assignment,
        departmentId: assignment.departmentId || latest.departmentId,
        charge: nextCharge(latest.charge, { state: latest.state, handler }),
      },
      reason: `reassigned by ${actor.name} to ${handler?.name ?? 'nobody on duty'} (${reason.trim()})`,
    }));
    if (!result) throw new NotFoundError(`complaint ${complaintId}`);
    const updated = result.decision;
    await this.keyed.loads.apply(groupId, complaintId, updated.charge, chargeMode(result.before, updated));
    await this.bus.publish(
      createEvent(
        'reassigned',
        { groupId, complaintId },
        v1.ComplaintReassigned.fromPartial({
          actor,
          reason: reason.trim(),
          departmentId: updated.departmentId,
          handler: handler ? { kind: 'staff', id: handler.id, name: handler.name } : undefined,
          previousHandler: current.handler ? { kind: 'staff', ...current.handler } : undefined,
          ...(handlerId
            ? {}
            : {
                department: updated.department,
                propertyHead: updated.propertyHead ? { kind: 'staff', ...updated.propertyHead } : undefined,
              }),
        }),
      ),
    );
    return updated;
  }

  /**
   * Registration facts corrected at intake: the decision keeps the complainant's pseudonym,
   * location and description routing matches matters by; a move to another property routes the
   * complaint there (department and handler of that property, its head for a major one) and
   * announces it as a reassignment naming the property. Again for a redelivered event: the
   * decision is moved once, the announcement (a stable event id) published until it went out.
   */
  async correct(event: v1.EventEnvelope, corrected: v1.ComplaintCorrected): Promise<Decision | undefined> {
    const { groupId, complaintId } = event;
    const changed = (field: string) => corrected.changes.find((change) => change.field === field)?.after;
    const facts: Partial<Decision> = {};
    const location = changed('location');
    if (location !== undefined) Object.assign(facts, { location, locationKey: locationKey(location) });
    const description = changed('description');
    if (description !== undefined) facts.description = description;
    if (corrected.complainantKey) facts.complainantKey = corrected.complainantKey;
    const move = corrected.propertyId || undefined;

    const current = await this.decisions.find(groupId, complaintId);
    if (!current) return undefined; // answered before routing ever saw it: nothing to keep
    let assignment: Partial<Decision> = {};
    if (move && current.propertyId !== move) {
      const { departments } = await this.settings.forGroup(groupId);
      const chosen = await this.assign.choose(groupId, move, current.category, current.severity, departments);
      assignment = {
        propertyId: move,
        regionId: corrected.regionId,
        department: chosen.department,
        departmentId: chosen.departmentId,
        // Nobody on duty there: the first-contact owner keeps it, as at routing.
        handler: chosen.handler,
        propertyHead: chosen.propertyHead,
      };
    }
    const result = await this.decisions.change(groupId, complaintId, (latest) => ({
      set: {
        ...facts,
        ...assignment,
        charge: nextCharge(latest.charge, {
          state: latest.state,
          handler: assignment.handler !== undefined ? assignment.handler : latest.handler,
        }),
      },
      reason: move
        ? `moved by ${corrected.actor?.name ?? 'staff'} from ${corrected.previousPropertyId} to ${move} (${corrected.reason})`
        : '',
    }));
    if (!result) return undefined;
    const updated = result.decision;
    await this.keyed.sync(updated, chargeMode(result.before, updated), result.before);
    if (move && updated.propertyId === move) {
      const previous = current.propertyId === move ? undefined : current.handler;
      await this.bus.publish(
        createEvent(
          'reassigned',
          { groupId, complaintId, idempotencyKey: `moved:${event.eventId}` },
          v1.ComplaintReassigned.fromPartial({
            actor: corrected.actor,
            reason: corrected.reason,
            departmentId: updated.departmentId,
            handler: updated.handler ? { kind: 'staff', ...updated.handler } : undefined,
            previousHandler: previous ? { kind: 'staff', ...previous } : undefined,
            propertyId: updated.propertyId,
            regionId: updated.regionId,
            propertyHead: updated.propertyHead ? { kind: 'staff', ...updated.propertyHead } : undefined,
            department: updated.department,
          }),
        ),
      );
    }
    return updated;
  }

  private async decision(groupId: string, complaintId: string): Promise<Decision> {
    const decision = await this.decisions.find(groupId, complaintId);
    if (!decision) throw new NotFoundError(`routing decision for complaint ${complaintId}`);
    return decision;
  }
}
