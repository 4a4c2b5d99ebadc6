import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { v1 } from '@complaints/contracts';
import { maskName, maskContact, maskUnit } from '@complaints/domain';
import { createEvent } from '@complaints/messaging';
import { DomainError, invalidArgument, NotFoundError } from '@complaints/service-kit';
import { ManageDirectory } from '../../directory/use-cases/manage-directory';
import { PersonalDataVault } from '../../personal-data/personal-data-vault';
import { ComplaintsRepository, FINAL_STATUSES, type Correction } from '../complaints.repository';
import type { ComplaintRecord } from '../complaint.schema';
import { AnnouncedChange } from '../announced-change';

type Actor = { kind: string; id: string; name: string };

export interface CorrectComplaintInput {
  reason: string;
  propertyId?: string;
  location?: string;
  description?: string;
  demand?: string;
  complainantName?: string;
  complainantContact?: string;
  complainantUnit?: string;
  /** The staff member complained about (a directory id), found out later; '' for nobody. */
  involvedStaffId?: string;
}

const text = (max: number) => z.string().trim().max(max, `at most ${max} characters`);
const required = (max: number) => text(max).min(1, 'is required: leave it out to keep it');

/** The same limits as at registration. */
const correction = z.object({
  reason: text(2_000).min(1, 'is required: say why'),
  propertyId: required(64).optional(),
  location: text(500).optional(),
  description: required(10_000).optional(),
  demand: text(5_000).optional(),
  complainantName: required(100).optional(),
  complainantContact: required(100).optional(),
  complainantUnit: text(100).optional(),
  involvedStaffId: text(64).optional(),
});

/** The personal fields: the timeline shows them masked, as every answer does. */
const PERSONAL = {
  complainantName: { field: 'complainant.name', mask: maskName, clear: 'name' },
  complainantContact: { field: 'complainant.contact', mask: maskContact, clear: 'contact' },
  complainantUnit: { field: 'complainant.unit', mask: maskUnit, clear: 'unit' },
} as const;
const FACTS = ['location', 'description', 'demand'] as const;

/**
 * Corrections of registration facts (a mistyped phone or location, the wrong property of the
 * group), with a reason: one write to the record (the event pending first, as for notes), then
 * the timeline entry with each field's before and after, and the event. A move to another
 * property names it in the event: routing routes the complaint there and escalation keeps its
 * running deadlines (the lifecycle goes on).
 */
@Injectable()
export class CorrectComplaint {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly directory: ManageDirectory,
    private readonly vault: PersonalDataVault,
    private readonly announced: AnnouncedChange,
  ) {}

  async execute(groupId: string, complaintId: string, actor: Actor, input: CorrectComplaintInput) {
    const parsed = correction.safeParse(input);
    if (!parsed.success) throw invalidArgument('correction', parsed.error.issues);
    const wanted = parsed.data;
    const complaint = await this.complaints.findById(groupId, complaintId);
    if (!complaint) throw new NotFoundError(`complaint ${complaintId}`);
    if (FINAL_STATUSES.includes(complaint.status)) {
      throw new DomainError('failed_precondition', `complaint ${complaint.number} is ${complaint.status}`, {
        status: `is ${complaint.status}: a complaint is corrected while open`,
      });
    }

    const changes: v1.FieldCorrection[] = [];
    const set: Correction = {};
    for (const field of FACTS) {
      const after = wanted[field];
      if (after !== undefined && after !== complaint[field]) {
        changes.push({ field, before: complaint[field], after });
        set[field] = after;
      }
    }
    let moved: { propertyId: string; regionId: string } | undefined;
    if (wanted.propertyId !== undefined && wanted.propertyId !== complaint.propertyId) {
      const property = await this.directory.property(groupId, wanted.propertyId);
      if (!property) {
        throw new DomainError(
          'invalid_argument',
          `invalid correction: property ${wanted.propertyId} is not in this group`,
          {
            propertyId: 'is not a property of this group',
          },
        );
      }
      if (property.inactive) {
        throw new DomainError('invalid_argument', `invalid correction: property ${wanted.propertyId} is deactivated`, {
          propertyId: 'is deactivated',
        });
      }
      moved = { propertyId: wanted.propertyId, regionId: property.regionId };
      changes.push({ field: 'propertyId', before: complaint.propertyId, after: wanted.propertyId });
      Object.assign(set, moved);
    }
    const involved = await this.correctedInvolvedStaff(complaint, wanted.involvedStaffId, changes);
    if (involved) Object.assign(set, involved);
    const complainant = this.correctedComplainant(complaint, wanted, changes);
    if (complainant) set.complainant = complainant;
    if (changes.length === 0) {
      throw new DomainError('invalid_argument', 'invalid correction: nothing changes', {
        '(body)': 'changes nothing: give the fields to correct with their right values',
      });
    }

    const event = createEvent(
      'corrected',
      { groupId, complaintId },
      {
        actor,
        reason: wanted.reason,
        changes,
        propertyId: moved?.propertyId ?? '',
        regionId: moved?.regionId ?? '',
        previousPropertyId: moved ? complaint.propertyId : '',
        complainantKey: complainant && complainant.key !== complaint.complainant.key ? complainant.key : '',
        ...(involved ? { involvedStaffId: involved.involvedStaffId, involvedStaffName: involved.involvedStaff } : {}),
      },
    );
    await this.announced.apply(
      event,
      (eventId, entry) =>
        this.complaints.changeOpenComplaint(groupId, complaintId, { correction: set }, eventId, entry),
      (changed) =>
        new DomainError('failed_precondition', `complaint ${changed.number} is ${changed.status}`, {
          status: `is ${changed.status}: a complaint is corrected while open`,
        }),
    );
    const corrected = await this.complaints.findById(groupId, complaintId);
    if (!corrected) throw new NotFoundError(`complaint ${complaintId}`);
    return corrected;
  }

  /** The staff member complained about and their name, when the correction changes them. */
  private async correctedInvolvedStaff(
    complaint: ComplaintRecord,
    staffId: string | undefined,
    changes: v1.FieldCorrection[],
  ): Promise<{ involvedStaffId: string; involvedStaff: string } | undefined> {
    if (staffId === undefined || staffId === (complaint.involvedStaffId ?? '')) return undefined;
    let name = '';
    if (staffId) {
      const staff = await this.directory.staffMember(complaint.groupId, staffId);
      if (!staff) {
        throw new DomainError('invalid_argument', `invalid correction: staff ${staffId} is not in this group`, {
          involvedStaffId: 'is not a staff member of this group',
        });
      }
      name = staff.name;
    }
    changes.push({ field: 'involvedStaff', before: complaint.involvedStaff, after: name });
    return { involvedStaffId: staffId, involvedStaff: name };
  }

  /** The complainant sealed again with the corrected name, contact or unit; undefined when none changes. */
  private correctedComplainant(
    complaint: ComplaintRecord,
    wanted: z.output<typeof correction>,
    changes: v1.FieldCorrection[],
  ): ComplaintRecord['complainant'] | undefined {
    const asked = (Object.keys(PERSONAL) as (keyof typeof PERSONAL)[]).filter((key) => wanted[key] !== undefined);
    if (asked.length === 0) return undefined;
    const clear = this.vault.clear(complaint);
    if (!clear) {
      throw new DomainError('failed_precondition', `complaint ${complaint.number}: its personal data was erased`, {
        [PERSONAL[asked[0]].field]: 'was erased: there is nothing to correct',
      });
    }
    const next = { ...clear };
    for (const key of asked) {
      const { field, mask, clear: name } = PERSONAL[key];
      const after = wanted[key]!;
      if (after === clear[name]) continue;
      changes.push({ field, before: mask(clear[name]), after: mask(after) });
      next[name] = after;
    }
    if (next.name === clear.name && next.contact === clear.contact && next.unit === clear.unit) return undefined;
    return this.vault.seal(complaint.groupId, complaint._id, {
      ...next,
      type: complaint.complainant.type,
      anchorTenant: complaint.complainant.anchorTenant,
    });
  }
}
