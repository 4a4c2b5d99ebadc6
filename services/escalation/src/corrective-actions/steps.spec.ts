import { takeStep, type CorrectiveAction } from './steps';

const staff = (id: string, level: 'frontline' | 'supervisor' | 'manager') => ({ id, name: id, level });
const now = new Date('2026-12-10T08:00:00Z');
const opened: CorrectiveAction = {
  id: 'c1:r1',
  groupId: 'g1',
  propertyId: 'p1',
  regionId: 'r1',
  complaintId: 'c1',
  source: 'resolution',
  category: '',
  description: '湿拖作业放警示牌',
  owner: { id: 'owner', name: 'owner' },
  dueAt: '2026-12-20T00:00:00Z',
  status: 'open',
  overdueAt: null,
  createdAt: '2026-12-01T00:00:00Z',
  history: [],
  version: 1,
  published: 0,
};

describe('corrective action steps', () => {
  it('is done by its owner only, with what was done', () => {
    expect(() => takeStep(opened, 'done', staff('other', 'manager'), '已培训', now)).toThrow(/only its owner/);
    expect(() => takeStep(opened, 'done', staff('owner', 'frontline'), '', now)).toThrow(/say what was done/);
    const done = takeStep(opened, 'done', staff('owner', 'frontline'), '已培训全员', now);
    expect(done).toMatchObject({ status: 'done', version: 2 });
    expect(done.history.at(-1)).toMatchObject({ step: 'done', text: '已培训全员', by: { id: 'owner' } });
  });

  it('is verified or sent back by someone else at supervisor level or above', () => {
    const done = takeStep(opened, 'done', staff('owner', 'manager'), '已培训全员', now);
    expect(() => takeStep(done, 'verify', staff('owner', 'manager'), '', now)).toThrow(/does not verify their own/);
    expect(() => takeStep(done, 'verify', staff('desk', 'frontline'), '', now)).toThrow(/needs supervisor or above/);
    expect(() => takeStep(opened, 'verify', staff('boss', 'manager'), '', now)).toThrow(/it is open/);
    const returned = takeStep(done, 'return', staff('boss', 'supervisor'), '警示牌数量不足', now);
    expect(returned.status).toBe('open');
    const verified = takeStep(
      takeStep(returned, 'done', staff('owner', 'manager'), '已补足警示牌', now),
      'verify',
      staff('boss', 'supervisor'),
      '',
      now,
    );
    expect(verified.status).toBe('verified');
    expect(verified.history.map((entry) => entry.step)).toEqual(['done', 'returned', 'done', 'verified']);
  });
});
