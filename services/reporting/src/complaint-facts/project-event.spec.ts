import { v1 } from '@complaints/contracts';
import { createEvent } from '@complaints/messaging';
import { factChanges } from './project-event';

const header = { groupId: 'g1', complaintId: 'c1' };

describe('projecting events onto complaint facts', () => {
  it('takes number, property, channel and received-at from registration', () => {
    const event = createEvent('registered', header, {
      complaint: v1.Complaint.fromPartial({
        id: 'c1',
        number: 'SHM01-20261123-0001',
        groupId: 'g1',
        propertyId: 'shm01',
        channel: 'phone',
        receivedAt: '2026-11-23T02:00:00.000Z',
        complainant: undefined,
        location: '',
        description: 'x',
        demand: '',
        status: 'registered',
        language: 'zh-CN',
        confidential: false,
        coComplainantCount: 0,
        categoryHint: '',
        severityHint: '',
        registeredAt: '2026-11-23T02:00:01.000Z',
      }),
    });
    expect(factChanges(event).set).toEqual({
      number: 'SHM01-20261123-0001',
      propertyId: 'shm01',
      channel: 'phone',
      receivedAt: new Date('2026-11-23T02:00:00.000Z'),
    });
  });

  it('takes the classification from routing and a breach from the escalation', () => {
    const routed = createEvent(
      'routed',
      header,
      v1.ComplaintRouted.fromPartial({
        number: 'N',
        propertyId: 'p',
        category: 'repair',
        severity: 'important',
        department: 'engineering',
        reasons: [],
        receivedAt: '',
      }),
    );
    expect(factChanges(routed).set).toMatchObject({
      category: 'repair',
      severity: 'important',
      department: 'engineering',
    });
    const breached = createEvent('deadline_breached', header, {
      deadline: 'firstReplyBy',
      dueAt: '',
      severity: 'general',
    });
    expect(factChanges(breached)).toEqual({ set: {}, addBreach: 'firstReplyBy' });
  });
});
