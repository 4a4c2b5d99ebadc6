import type { Lifecycle } from '../api/types';
import { refusal } from './allowed-actions';

const lifecycle = (overrides: Partial<Lifecycle>): Lifecycle => ({
  status: 'assigned',
  severity: 'general',
  escalationLevel: 'frontline',
  handler: null,
  propertyHead: null,
  reopenRound: 1,
  firstReplyBy: '2026-11-30T09:00:00Z',
  resolveBy: '2026-12-02T09:00:00Z',
  callbackBy: null,
  deadlines: {
    firstReplyBy: { dueAt: '2026-11-30T09:00:00Z', met: false, breaches: 0, paused: false },
    resolveBy: { dueAt: '2026-12-02T09:00:00Z', met: false, breaches: 0, paused: false },
  },
  breaches: [],
  extensions: [],
  plan: null,
  resolution: null,
  callbacks: [],
  callbackPlan: null,
  survey: null,
  ...overrides,
});

describe('which actions a person may take now', () => {
  it('follows the status of the complaint', () => {
    expect(refusal(lifecycle({}), 'acknowledge', 'frontline')).toBeNull();
    expect(refusal(lifecycle({}), 'resolve', 'frontline')).toEqual({
      why: 'status',
      status: 'assigned',
      allowed: ['acknowledged', 'investigating', 'plan_proposed', 'plan_approved'],
    });
    expect(refusal(null, 'acknowledge', 'manager')).toEqual({ why: 'notStarted' });
  });

  it('asks for the level the action needs', () => {
    const proposed = lifecycle({ status: 'plan_proposed', severity: 'important' });
    expect(refusal(proposed, 'approve_plan', 'manager')).toEqual({ why: 'level', level: 'property_head' });
    expect(refusal(proposed, 'approve_plan', 'property_head')).toBeNull();
    expect(refusal(lifecycle({ status: 'resolved' }), 'record_callback', 'frontline')).toEqual({
      why: 'level',
      level: 'supervisor',
    });
  });

  it('needs an approved plan before an important complaint is resolved', () => {
    expect(refusal(lifecycle({ status: 'investigating', severity: 'important' }), 'resolve', 'group_hq')).toEqual({
      why: 'planNeeded',
      severity: 'important',
    });
    expect(refusal(lifecycle({ status: 'investigating' }), 'resolve', 'frontline')).toBeNull();
  });

  it('refuses a second extension request while the first waits', () => {
    const asked = lifecycle({
      status: 'acknowledged',
      deadlines: { resolveBy: { dueAt: '2026-12-02T09:00:00Z', met: false, breaches: 0, paused: false } },
      extensions: [
        { number: 1, deadline: 'resolveBy', until: '2026-12-03T09:00:00Z', reason: 'parts', status: 'pending' },
      ],
    });
    expect(refusal(asked, 'request_extension', 'frontline')).toEqual({ why: 'pendingExtension' });
  });

  it('sends a dissatisfied complainant back to handling instead of closing', () => {
    const done = lifecycle({
      status: 'callback_done',
      callbacks: [{ outcome: 'completed', satisfaction: 'dissatisfied' }],
    });
    expect(refusal(done, 'close', 'group_hq')).toEqual({ why: 'dissatisfied' });
    expect(refusal(done, 'reopen', 'frontline')).toBeNull();
  });

  it('closes as unreachable only once every allowed callback attempt failed, and sends surveys as a supervisor', () => {
    const resolution = { liability: 'responsible', validity: 'valid', result: '已修复' };
    const plan = { attemptsMade: 1, attemptsAllowed: 3, nextAttemptAt: '2026-12-02T13:00:00Z', caller: null };
    const trying = lifecycle({ status: 'resolved', resolution, callbackPlan: plan });
    expect(refusal(trying, 'close_unreachable', 'manager')).toEqual({ why: 'attemptsLeft', made: 1, allowed: 3 });
    const used = lifecycle({ status: 'resolved', resolution, callbackPlan: { ...plan, attemptsMade: 3 } });
    expect(refusal(used, 'close_unreachable', 'supervisor')).toBeNull();
    // The usual close still waits for a completed callback.
    expect(refusal(used, 'close', 'supervisor')).toMatchObject({ why: 'status' });
    const invalid = lifecycle({ status: 'resolved', resolution: { ...resolution, validity: 'invalid' } });
    expect(refusal(invalid, 'close_unreachable', 'supervisor')).toEqual({ why: 'invalidNeedsNoCallback' });
    // Non-liable (无责任): explained and closed, no callback either.
    const nonLiable = lifecycle({ status: 'resolved', resolution: { ...resolution, liability: 'non_liable' } });
    expect(refusal(nonLiable, 'close', 'frontline')).toBeNull();
    expect(refusal(nonLiable, 'close_unreachable', 'supervisor')).toEqual({ why: 'invalidNeedsNoCallback' });
    expect(refusal(lifecycle({ status: 'callback_done' }), 'close_unreachable', 'supervisor')).toMatchObject({
      why: 'status',
    });
    expect(refusal(trying, 'send_survey', 'frontline')).toEqual({ why: 'level', level: 'supervisor' });
    expect(refusal(trying, 'send_survey', 'supervisor')).toBeNull();
  });
});
