import { v1 } from '@complaints/contracts';
import { createEvent } from '@complaints/messaging';
import type { MergeReason } from '../classification/decision.schema';

/**
 * `merged`: the complaint is handled in `into` from now on. The key names the merge, so a
 * redelivered input republishes the same event and JetStream keeps one.
 */
export function mergedEvent(merge: {
  groupId: string;
  complaintId: string;
  into: { id: string; number: string };
  reason: MergeReason;
  actor: v1.Actor;
  idempotencyKey: string;
  note?: string;
  occurredAt?: Date;
}) {
  return createEvent(
    'merged',
    {
      groupId: merge.groupId,
      complaintId: merge.complaintId,
      idempotencyKey: merge.idempotencyKey,
      occurredAt: merge.occurredAt,
    },
    v1.ComplaintMerged.fromPartial({
      intoComplaintId: merge.into.id,
      intoNumber: merge.into.number,
      reason: merge.reason,
      actor: merge.actor,
      note: merge.note ?? '',
    }),
  );
}
