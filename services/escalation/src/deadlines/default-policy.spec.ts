import { firstReplyDueAt } from './default-policy';

describe('default first-reply deadline (SPEC §5)', () => {
  const receivedAt = new Date('2026-11-23T08:15:00Z');
  it.each([
    ['general', '2026-11-23T09:15:00.000Z'],
    ['important', '2026-11-23T11:15:00.000Z'],
    ['major', '2026-11-24T08:15:00.000Z'],
  ] as const)('%s is due at %s', (severity, due) => {
    expect(firstReplyDueAt(receivedAt, severity).toISOString()).toBe(due);
  });
});
