import { Controller } from '@nestjs/common';
import { v1 } from '@complaints/contracts';
import { ReadTimeline } from '../timeline/use-cases/read-timeline';
import type { TimelineEntryRecord } from '../timeline/timeline.schema';
import { actorOf, actorToProto, DomainError } from '@complaints/service-kit';
import { fromRegisterRequest, toProtoComplaint } from './complaint.converter';
import { ChangeComplaint } from './use-cases/change-complaint';
import { RecordSpotCheck } from './use-cases/record-spot-check';
import { CorrectComplaint } from './use-cases/correct-complaint';
import { FindForComplainant } from './use-cases/find-for-complainant';
import { GetComplaint } from './use-cases/get-complaint';
import { ListComplaints } from './use-cases/list-complaints';
import { RecordStaffConsequence } from './use-cases/record-staff-consequence';
import { RegisterComplaint } from './use-cases/register-complaint';
import { PersonalDataVault } from '../personal-data/personal-data-vault';
import type { ComplaintRecord } from './complaint.schema';

const optionalDate = (value: string) => (value ? new Date(value) : undefined);

function toProtoEntry(entry: TimelineEntryRecord): v1.TimelineEntry {
  return {
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    actor: actorToProto(entry.actor),
    detailsJson: JSON.stringify(entry.details),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

@Controller()
@v1.IntakeServiceControllerMethods()
export class ComplaintsGrpcController implements v1.IntakeServiceController {
  constructor(
    private readonly register: RegisterComplaint,
    private readonly get: GetComplaint,
    private readonly list: ListComplaints,
    private readonly change: ChangeComplaint,
    private readonly correct: CorrectComplaint,
    private readonly timeline: ReadTimeline,
    private readonly vault: PersonalDataVault,
    private readonly findForComplainantUseCase: FindForComplainant,
    private readonly consequences: RecordStaffConsequence,
    private readonly spotCheck: RecordSpotCheck,
  ) {}

  /** Every complaint intake answers has its complainant masked (SPEC §9); revealing is PersonalDataService's. */
  private view(record: ComplaintRecord): v1.Complaint {
    return toProtoComplaint(record, this.vault.masked(record));
  }

  /** Where the complaint's head says its chain ends; not found when it is not this group's. */
  private async headSeq(request: { groupId: string; complaintId: string }): Promise<number> {
    return (await this.get.execute(request.groupId, request.complaintId)).timeline?.seq ?? 0;
  }

  async registerComplaint(request: v1.RegisterComplaintRequest): Promise<v1.RegisterComplaintResponse> {
    const { complaint, replayed } = await this.register.execute(fromRegisterRequest(request));
    return { complaint: this.view(complaint), replayed };
  }

  async getComplaint(request: v1.GetComplaintRequest): Promise<v1.GetComplaintResponse> {
    return { complaint: this.view(await this.get.execute(request.groupId, request.complaintId)) };
  }

  async findForComplainant(request: v1.FindForComplainantRequest): Promise<v1.FindForComplainantResponse> {
    const complaintId = await this.findForComplainantUseCase.execute(
      request.groupId,
      request.number,
      request.contactLastFour,
    );
    return { complaintId: complaintId ?? '' };
  }

  async listComplaints(request: v1.ListComplaintsRequest): Promise<v1.ListComplaintsResponse> {
    const page = await this.list.execute(
      request.groupId,
      {
        propertyScope: request.propertyScope,
        regionScope: request.regionScope,
        confidentialViewer: request.confidentialViewer,
        propertyIds: request.propertyIds,
        regionIds: request.regionIds,
        statuses: request.statuses,
        severities: request.severities,
        categories: request.categories,
        channels: request.channels,
        receivedFrom: optionalDate(request.receivedFrom),
        receivedTo: optionalDate(request.receivedTo),
        overdueOnly: request.overdueOnly,
        search: request.search,
        mineOf: request.mineOf || undefined,
        approvalLevels: request.approvalLevels,
        departmentIds: request.departmentIds,
        sort: request.sort === 'deadline' ? 'deadline' : 'received',
      },
      { cursor: request.cursor || undefined, limit: request.limit },
    );
    return { complaints: page.complaints.map((complaint) => this.view(complaint)), nextCursor: page.nextCursor ?? '' };
  }

  async getTimeline(request: v1.GetTimelineRequest): Promise<v1.GetTimelineResponse> {
    const { entries, nextAfterSeq } = await this.timeline.page(
      request.groupId,
      request.complaintId,
      await this.headSeq(request),
      { afterSeq: Math.max(0, request.afterSeq), limit: request.limit > 0 ? request.limit : Infinity },
    );
    return { entries: entries.map(toProtoEntry), nextAfterSeq };
  }

  async verifyTimeline(request: v1.VerifyTimelineRequest): Promise<v1.VerifyTimelineResponse> {
    const complaint = await this.get.execute(request.groupId, request.complaintId);
    const head = complaint.timeline ?? { seq: 0, hash: '' };
    const verdict = await this.timeline.verify(request.groupId, request.complaintId, head);
    return verdict.valid
      ? { valid: true, entries: verdict.entries, firstInvalidSeq: 0, reason: '' }
      : { valid: false, entries: verdict.entries, firstInvalidSeq: verdict.firstInvalidSeq, reason: verdict.reason };
  }

  async addNote(request: v1.AddNoteRequest): Promise<v1.AddNoteResponse> {
    const kind = request.kind;
    if (kind === 'spot_check') {
      const check = request.spotCheck;
      const entry = await this.spotCheck.execute(request.groupId, request.complaintId, actorOf(request.actor), {
        verdict: check?.verdict ?? '',
        findings: request.text,
        followUp: check?.followUp ?? '',
      });
      return { entry: toProtoEntry(entry) };
    }
    if (kind !== '' && kind !== 'referral_reply') {
      throw new DomainError('invalid_argument', `unknown note kind ${kind}`, {
        kind: 'empty, referral_reply or spot_check',
      });
    }
    const entry = await this.change.addNote(
      request.groupId,
      request.complaintId,
      actorOf(request.actor),
      request.text,
      kind,
    );
    return { entry: toProtoEntry(entry) };
  }

  async withdrawComplaint(request: v1.WithdrawComplaintRequest): Promise<v1.WithdrawComplaintResponse> {
    const complaint = await this.change.withdraw(
      request.groupId,
      request.complaintId,
      actorOf(request.actor),
      request.reason,
    );
    return { complaint: this.view(complaint) };
  }

  async recordStaffConsequence(request: v1.RecordStaffConsequenceRequest): Promise<v1.RecordStaffConsequenceResponse> {
    const { complaint } = await this.consequences.execute(
      request.groupId,
      request.complaintId,
      actorOf(request.actor),
      { staffId: request.staffId, measure: request.measure, amount: request.amount, reason: request.reason },
    );
    return { complaint: this.view(complaint) };
  }

  async correctComplaint(request: v1.CorrectComplaintRequest): Promise<v1.CorrectComplaintResponse> {
    const { groupId, complaintId, actor, ...correction } = request;
    const complaint = await this.correct.execute(groupId, complaintId, actorOf(actor), correction);
    return { complaint: this.view(complaint) };
  }
}
