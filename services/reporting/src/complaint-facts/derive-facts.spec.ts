import { deriveFacts } from './derive-facts';
import type { FactEvent } from './fact-event';

describe('a complaint’s facts', () => {
  const transitioned = (id: string, at: string, action: string, facts: Partial<FactEvent & { type: 'transitioned' }>) =>
    ({
      id,
      at,
      type: 'transitioned',
      action,
      toStatus: '',
      status: '',
      severity: 'general',
      round: 1,
      satisfaction: '',
      outcome: '',
      validity: '',
      liability: '',
      ...facts,
    }) as FactEvent;

  it('counts the complainant’s survey answer as the callback, and a failed attempt as none', () => {
    const facts = deriveFacts('g1', 'c1', [
      transitioned('e1', '2026-12-01T08:00:00Z', 'resolve', { status: 'resolved', validity: 'valid' }),
      transitioned('e2', '2026-12-01T09:00:00Z', 'record_callback', { status: 'resolved', outcome: 'attempt' }),
      transitioned('e3', '2026-12-01T10:00:00Z', 'send_survey', { status: 'resolved' }),
      transitioned('e4', '2026-12-01T11:00:00Z', 'answer_survey', {
        status: 'callback_done',
        outcome: 'completed',
        satisfaction: 'basically_satisfied',
      }),
    ]);
    expect(facts.callbackAt).toEqual(new Date('2026-12-01T11:00:00Z'));
    expect(facts.satisfaction).toBe('basically_satisfied');
  });
});
