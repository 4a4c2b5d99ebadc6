import { Injectable } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { category, channel, complainantType, severity } from '@complaints/domain';
import { createEvent, EventBus } from '@complaints/messaging';
import { AssignComplaint } from '../../assignment/assign-complaint';
import { COLLECTIVE_ACTOR, FindCase, type JoinedCase } from '../../collective/find-case';
import { mergedEvent } from '../../collective/merged-event';
import { locationKey } from '../../collective/same-matter';
import { historyKey, REPEAT_WINDOW_MS } from '../../keyed/complainant-histories';
import { openCase, pastComplaint } from '../../keyed/entries';
import { nextCharge } from '../../keyed/handler-loads';
import { KeyedDocuments } from '../../keyed/keyed-documents';
import { openCasesKey } from '../../keyed/open-cases';
import { DecisionsRepository } from '../decisions.repository';
import type { Decision } from '../decision.schema';
import { RoutingSettingsRepository } from '../routing-settings';
import { classify, type RegistrationFacts } from '../rules';

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
    requestedBy: decision.requestedBy?.toISOString() ?? '',
  });
}

@Injectable()
export class RouteComplaint {
  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly settings: RoutingSettingsRepository,
    private readonly assign: AssignComplaint,
    private readonly findCase: FindCase,
    private readonly keyed: KeyedDocuments,
    private readonly bus: EventBus,
  ) {}

  /**
   * Classifies and assigns a registered complaint, then publishes `routed`. Idempotent: the
   * first stored decision wins, and a redelivery republishes it under the same event id,
   * which JetStream drops.
   *
   * A first delivery decides without reading the decision first (one round trip less per
   * complaint): nothing stored it yet, and if something did (the same event published again
   * after JetStream's duplicate window), the insert finds it and the stored one wins. A
   * redelivery reads it first, so that it never forms a collective the first attempt did not.
   */
  async execute(
    groupId: string,
    complaint: v1.Complaint,
    options: { redelivered: boolean } = { redelivered: false },
  ): Promise<Decision> {
    const stored = options.redelivered ? await this.decisions.find(groupId, complaint.id) : null;
    // Delivered again: whatever a crash cut short after the decision was stored is completed.
    if (stored) await this.keyed.sync(stored, 'replay');
    const decision = stored ?? (await this.decide(groupId, complaint));
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

  /**
   * Decides under the complainant's lock (and then the matter's), so that two complaints of one
   * complainant, or about one matter, routed at the same moment in this replica see each other
   * in the keyed documents: the second counts the first as a repeat, joins it as a duplicate,
   * or counts it towards a collective complaint.
   */
  private async decide(groupId: string, complaint: v1.Complaint): Promise<Decision> {
    const { rules, departments } = await this.settings.forGroup(groupId);
    const facts = registrationFacts(complaint);
    const receivedAt = new Date(complaint.receivedAt);
    const key = complainantKey(complaint);
    const history = historyKey(groupId, key);
    const underHistory = <T>(task: () => Promise<T>): Promise<T> =>
      history ? this.keyed.histories.exclusive(history, task) : task();

    const saved = await underHistory(async () => {
      const past = history ? await this.keyed.histories.read(history) : [];
      // The matter decides what a repeat is, so classify once to know it, then with the repeats.
      const first = classify(facts, rules, { repeatCount: 0 });
      const since = receivedAt.getTime() - REPEAT_WINDOW_MS;
      const repeatCount = past.filter(
        (entry) =>
          entry.id !== complaint.id &&
          entry.propertyId === complaint.propertyId &&
          entry.category === first.category &&
          entry.receivedAt.getTime() >= since,
      ).length;
      const classification = repeatCount > 0 ? classify(facts, rules, { repeatCount }) : first;
      const isCollectiveParent =
        complaint.registeredBy?.kind === COLLECTIVE_ACTOR.kind && complaint.registeredBy.id === COLLECTIVE_ACTOR.id;
      const matter = {
        location: complaint.location,
        locationKey: locationKey(complaint.location),
        description: complaint.description.slice(0, 2_000),
      };
      const draft = {
        _id: complaint.id,
        groupId,
        number: complaint.number,
        propertyId: complaint.propertyId,
        category: classification.category,
        complainantKey: key,
        receivedAt,
        ...matter,
      };
      // A parent case and a complaint closed at first contact join nothing.
      const joinsNothing = isCollectiveParent || complaint.resolvedAtFirstContact;
      const duplicate = joinsNothing ? undefined : await this.findCase.duplicateOf(draft, past);

      const save = async (joined: JoinedCase | undefined): Promise<{ decision: Decision; inserted: boolean }> => {
        const assignment = await this.assign.choose(
          groupId,
          complaint.propertyId,
          classification.category,
          classification.severity,
          departments,
        );
        const state = complaint.resolvedAtFirstContact || joined ? 'closed' : 'open';
        const saved = await this.decisions.saveFirst({
          ...draft,
          regionId: complaint.regionId,
          channel: complaint.channel,
          requestedBy: complaint.requestedBy ? new Date(complaint.requestedBy) : null,
          severity: classification.severity,
          ...assignment,
          liability: '',
          reasons: [
            ...classification.firedRules.map((rule) => rule.description),
            ...assignment.reasons,
            ...(joined ? [`joined ${joined.reason} case ${joined.number}`] : []),
          ],
          firedRules: classification.firedRules.map((rule) => rule.id),
          mergedInto: joined?.id ?? '',
          mergedIntoNumber: joined?.number ?? '',
          mergeReason: joined?.reason ?? '',
          mergeChangedAt: null,
          isCollectiveParent,
          anchorTenant: facts.anchorTenant,
          resolvedAtFirstContact: complaint.resolvedAtFirstContact,
          state,
          charge: nextCharge(undefined, { state, handler: assignment.handler }),
        });
        // Another delivery stored its decision first and keeps the counters for it.
        if (saved.inserted) await this.keyed.loads.apply(groupId, complaint.id, saved.decision.charge, 'fresh');
        return saved;
      };

      let saved: { decision: Decision; inserted: boolean };
      if (duplicate || complaint.resolvedAtFirstContact) {
        saved = await save(duplicate);
      } else {
        // Open unless it joins a collective: the matter's open cases are read, and written, under its lock.
        const casesKey = openCasesKey(draft);
        saved = await this.keyed.openCases.exclusive(casesKey, async () => {
          const cases = await this.keyed.openCases.read(casesKey);
          const collective = isCollectiveParent
            ? { left: [] }
            : await this.findCase.collectiveFor(draft, cases, rules.collectiveMinComplainants);
          const result = await save(collective.joined);
          const entry = openCase(result.decision);
          await this.keyed.openCases.write(casesKey, groupId, cases, {
            put: entry && openCasesKey(result.decision) === casesKey ? entry : undefined,
            remove: collective.left,
          });
          return result;
        });
      }
      if (history && historyKey(groupId, saved.decision.complainantKey) === history) {
        await this.keyed.histories.write(history, groupId, past, { put: pastComplaint(saved.decision) });
      }
      return saved;
    });
    // Stored by another delivery meanwhile: its keyed documents are brought in step whatever it did.
    if (!saved.inserted) await this.keyed.sync(saved.decision, 'replay');
    return saved.decision;
  }
}
