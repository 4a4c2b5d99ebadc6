import { STATUSES } from '@complaints/domain';
import { complainantStage } from './complainant-stage';

describe('the complainant’s stage', () => {
  it('names every state of the lifecycle, and never an unknown one as done', () => {
    const stages = Object.fromEntries(STATUSES.map((status) => [status, complainantStage(status)]));
    expect(stages).toMatchObject({ registered: 'received', plan_proposed: 'handling', callback_done: 'resolved' });
    expect(complainantStage('something_new')).toBe('handling');
  });
});
