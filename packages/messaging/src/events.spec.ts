import { v1 } from '@complaints/contracts';
import { createEvent, eventId, payloadOf, workOrderKey } from './events';
import { COMPLAINT_EVENT_TYPES, isHandoverEvent, isWorkOrderEvent } from './subjects';

describe('event envelopes', () => {
  it('gives the same id for the same idempotency key, and fresh ids otherwise', () => {
    expect(eventId('routed:c1')).toBe(eventId('routed:c1'));
    expect(eventId('routed:c1')).not.toBe(eventId('routed:c2'));
    expect(eventId()).not.toBe(eventId());
    expect(eventId('routed:c1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('survives the wire and hands back the payload of its own type only', () => {
    const event = createEvent(
      'deadline_breached',
      {
        groupId: 'g',
        complaintId: 'c',
        occurredAt: new Date('2026-11-23T00:00:00Z'),
        traceContext: { traceparent: 't' },
      },
      v1.DeadlineBreached.fromPartial({ deadline: 'firstReplyBy', dueAt: '2026-11-23T01:00:00Z', severity: 'general' }),
    );
    const decoded = v1.EventEnvelope.decode(v1.EventEnvelope.encode(event).finish());
    expect(decoded).toEqual(event);
    expect(payloadOf(decoded, 'deadline_breached')?.deadline).toBe('firstReplyBy');
    expect(payloadOf(decoded, 'routed')).toBeUndefined();
  });

  it('carries the handover book’s events keyed by their record, apart from the complaint events partners subscribe to', () => {
    const event = createEvent(
      'handover_signed',
      { groupId: 'g', complaintId: 'ho-1', idempotencyKey: 'handover_signed:ho-1:s-1:2026-12-06T12:00:00.000Z' },
      v1.HandoverSigned.fromPartial({
        entryId: 'ho-1',
        signedBy: { kind: 'staff', id: 's-1', name: '王磊' },
        note: '已阅',
        dayReadyForReview: true,
      }),
    );
    const decoded = v1.EventEnvelope.decode(v1.EventEnvelope.encode(event).finish());
    expect(payloadOf(decoded, 'handover_signed')).toMatchObject({ note: '已阅', dayReadyForReview: true });
    expect(isHandoverEvent(decoded)).toBe(true);
    expect(isHandoverEvent({ type: 'registered' })).toBe(false);
    expect(COMPLAINT_EVENT_TYPES as readonly string[]).not.toContain('handover_signed');
  });

  it('carries a work order’s step with where and by when, told apart from complaints’ and the handover book’s', () => {
    const event = createEvent(
      'work_order',
      { groupId: 'g', complaintId: workOrderKey('w-1') },
      v1.WorkOrderStepped.fromPartial({
        workOrderId: 'w-1',
        step: 'dispatched',
        location: 'B2 水泵房',
        arriveBy: '2026-12-06T03:00:00.000Z',
        completeBy: '2026-12-06T09:00:00.000Z',
        assignee: { kind: 'staff', id: 's-1', name: '王磊' },
      }),
    );
    const decoded = v1.EventEnvelope.decode(v1.EventEnvelope.encode(event).finish());
    expect(payloadOf(decoded, 'work_order')).toMatchObject({
      location: 'B2 水泵房',
      arriveBy: '2026-12-06T03:00:00.000Z',
      completeBy: '2026-12-06T09:00:00.000Z',
      assignee: { id: 's-1' },
    });
    expect(isWorkOrderEvent(decoded)).toBe(true);
    expect(isHandoverEvent(decoded)).toBe(false);
    expect(isWorkOrderEvent({ type: 'handover_signed' })).toBe(false);
  });
});
