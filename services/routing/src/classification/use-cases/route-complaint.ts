import { Injectable } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { category, channel, complainantType, severity } from '@complaints/domain';
import { createEvent, EventBus } from '@complaints/messaging';
import { AssignComplaint } from '../../assignment/assign-complaint';
import { COLLECTIVE_ACTOR, FindCase } from '../../collective/find-case';
import { mergedEvent } from '../../collective/merged-event';
import { locationKey } from '../../collective/same-matter';
import { DecisionsRepository } from '../decisions.repository';
import type { Decision } from '../decision.schema';
import { RoutingSettingsRepository } from '../routing-settings';
import { classify, type RegistrationFacts } from '../rules';

/** How far back a complaint by the same person about the same matter counts as a repeat. */
const REPEAT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The complainant's pseudonym: intake's blind index of the contact (keyed HMAC), carried by the
 * registered event instead of the contact, so routing finds repeats without ever seeing it.
 * A complaint without one (its personal data already erased) is nobody's repeat.
 */
export function complainantKey(complaint: Pick<v1.Complaint, 'id' | 'complainantKey'>): string {
  return complaint.complainantKey || `complaint:${complaint.id}`;
}

function registrationFacts(complaint: v1.Complaint): RegistrationFacts {
  const hintedCategory = category.safeParse(complaint.categoryHint);
  const hintedSeverity = severity.safeParse(complaint.severityHint);
  return {
    channel: channel.parse(complaint.channel),
    description: complaint.description,
    demand: complaint.demand,
    location: complaint.location,
    complainantType: complainantType.catch('other').parse(complaint.complainant?.type),
    anchorTenant: complaint.complainant?.anchorTenant ?? false,
    categoryHint: hintedCategory.success ? hintedCategory.data : undefined,
    severityHint: hintedSeverity.success ? hintedSeverity.data : undefined,
    coComplainantCount: complaint.coComplainantCount,
  };
}

export function routedPayload(decision: Decision, receivedAt: string): v1.ComplaintRouted {
  return v1.ComplaintRouted.fromPartial({
    number: decision.number,
    propertyId: decision.propertyId,
    category: decision.category,
    severity: decision.severity,
    department: decision.department,
    departmentId: decision.departmentId,
    reasons: decision.reasons,
    receivedAt,
    resolvedAtFirstContact: decision.resolvedAtFirstContact,
    handler: decision.handler ? { kind: 'staff', ...decision.handler } : undefined,
    propertyHead: decision.propertyHead ? { kind: 'staff', ...decision.propertyHead } : undefined,
    liability: decision.liability,
    mergedInto: decision.mergedInto,
    regionId: decision.regionId,
    channel: decision.channel,
    firedRules: decision.firedRules,
  });
}

@Injectable()
export class RouteComplaint {
  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly settings: RoutingSettingsRepository,
    private readonly assign: AssignComplaint,
    private readonly findCase: FindCase,
    private readonly bus: EventBus,
  ) {}

  /**
   * Classifies and assigns a registered complaint, then publishes `routed`. Idempotent: the
   * first stored decision wins, and a redelivery republishes it under the same event id,
   * which JetStream drops.
   */
  async execute(groupId: string, complaint: v1.Complaint): Promise<Decision> {
    const decision = (await this.decisions.find(groupId, complaint.id)) ?? (await this.decide(groupId, complaint));
    await this.bus.publish(
      createEvent(
        'routed',
        { groupId, complaintId: complaint.id, idempotencyKey: `routed:${complaint.id}` },
        routedPayload(decision, complaint.receivedAt),
      ),
    );
    // Routing's own merge, published again on redelivery under the same id; a merge by hand
    // published its own event, with the staff member as actor.
    if (decision.mergedInto && (decision.mergeReason === 'duplicate' || decision.mergeReason === 'collective')) {
      await this.bus.publish(
        mergedEvent({
          groupId,
          complaintId: complaint.id,
          into: { id: decision.mergedInto, number: decision.mergedIntoNumber },
          reason: decision.mergeReason,
          actor: COLLECTIVE_ACTOR,
          idempotencyKey: `merged:${complaint.id}:${decision.mergedInto}`,
        }),
      );
    }
    return decision;
  }

  private async decide(groupId: string, complaint: v1.Complaint): Promise<Decision> {
    const { rules, departments } = await this.settings.forGroup(groupId);
    const facts = registrationFacts(complaint);
    const receivedAt = new Date(complaint.receivedAt);
    const key = complainantKey(complaint);
    // The matter decides what a repeat is, so classify once to know it, then with the repeats.
    const first = classify(facts, rules, { repeatCount: 0 });
    const repeatCount = await this.decisions.countRepeats(
      { _id: complaint.id, groupId, complainantKey: key, propertyId: complaint.propertyId, category: first.category },
      new Date(receivedAt.getTime() - REPEAT_WINDOW_MS),
    );
    const classification = repeatCount > 0 ? classify(facts, rules, { repeatCount }) : first;
    const isCollectiveParent =
      complaint.registeredBy?.kind === COLLECTIVE_ACTOR.kind && complaint.registeredBy.id === COLLECTIVE_ACTOR.id;
    const matter = {
      location: complaint.location,
      locationKey: locationKey(complaint.location),
      description: complaint.description.slice(0, 2_000),
    };
    // A parent case and a complaint closed at first contact join nothing.
    const joined =
      isCollectiveParent || complaint.resolvedAtFirstContact
        ? undefined
        : await this.findCase.caseFor(
            {
              _id: complaint.id,
              groupId,
              number: complaint.number,
              propertyId: complaint.propertyId,
              category: classification.category,
              complainantKey: key,
              receivedAt,
              ...matter,
            },
            rules.collectiveMinComplainants,
          );
    const assignment = await this.assign.choose(
      groupId,
      complaint.propertyId,
      classification.category,
      classification.severity,
      departments,
    );
    return this.decisions.saveFirst({
      _id: complaint.id,
      groupId,
      number: complaint.number,
      propertyId: complaint.propertyId,
      regionId: complaint.regionId,
      channel: complaint.channel,
      category: classification.category,
      severity: classification.severity,
      ...assignment,
      liability: '',
      reasons: [
        ...classification.firedRules.map((rule) => rule.description),
        ...assignment.reasons,
        ...(joined ? [`joined ${joined.reason} case ${joined.number}`] : []),
      ],
      firedRules: classification.firedRules.map((rule) => rule.id),
      ...matter,
      mergedInto: joined?.id ?? '',
      mergedIntoNumber: joined?.number ?? '',
      mergeReason: joined?.reason ?? '',
      mergeChangedAt: null,
      isCollectiveParent,
      complainantKey: key,
      anchorTenant: facts.anchorTenant,
      receivedAt,
      resolvedAtFirstContact: complaint.resolvedAtFirstContact,
      state: complaint.resolvedAtFirstContact || joined ? 'closed' : 'open',
    });
  }
}
