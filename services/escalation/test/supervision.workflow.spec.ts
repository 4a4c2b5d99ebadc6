import { LifecycleHarness, staff } from './lifecycle-harness';

// Supervision from above (督办) on Temporal's time-skipping server: its due time is a workflow
// timer, skipped here, never waited for.
describe('supervision from above (督办) in the lifecycle workflow', () => {
  let harness: LifecycleHarness;
  const DAY = 24 * 3_600_000;

  beforeAll(async () => {
    harness = await LifecycleHarness.create();
  });
  afterAll(async () => harness.teardown());

  const inDays = async (days: number) => new Date((await harness.env.currentTimeMs()) + days * DAY).toISOString();

  it('is overdue once when its due time passes unanswered, answered, returned, answered again and accepted; the status never moves', async () => {
    // The property head handles this one: supervising it is for someone above them.
    const propertyHead = staff('property_head');
    const { handle, input } = await harness.start({ handler: { id: propertyHead.id, name: propertyHead.name } });
    await harness.act(handle, { action: 'acknowledge', params: { reply: '好的' }, actor: staff('frontline') });
    const dueAt = await inDays(1);
    const supervise = (actor = staff('regional_gm'), instructions = '三天内给业主书面答复') =>
      harness.act(handle, { action: 'supervise', params: { instructions, dueAt }, actor });

    await expect(supervise(staff('manager'))).rejects.toThrow(/property_head or above/);
    await expect(supervise(propertyHead)).rejects.toThrow(/handles this complaint/);
    const supervised = await supervise();
    expect(supervised.status).toBe('acknowledged');
    expect(supervised.supervisions).toMatchObject([
      { number: 1, status: 'open', level: 'regional_gm', dueAt, overdueAt: null, by: { id: 's-regional_gm' } },
    ]);
    await expect(supervise(staff('group_hq'))).rejects.toThrow(/supervision 1 is still running/);
    await expect(
      harness.act(handle, { action: 'accept_supervision', params: {}, actor: staff('regional_gm') }),
    ).rejects.toThrow(/no answer to decide on/);

    await harness.sleep('23h');
    expect((await harness.state(handle)).supervisions?.[0].overdueAt).toBeNull();
    await harness.sleep('2h');
    const overdue = await harness.state(handle);
    expect(overdue.supervisions?.[0].overdueAt).not.toBeNull();
    expect(overdue.status).toBe('acknowledged');
    // Once: later wake-ups add nothing.
    await harness.sleep('2d');
    const story = await harness.storyOf(input.complaintId, 4);
    expect(story.filter((step) => step === 'supervision_overdue:acknowledged')).toHaveLength(1);
    const overdueEvent = (await harness.eventsOf(input.complaintId, 4)).find(
      (event) => event.payload?.$case === 'transitioned' && event.payload.value.action === 'supervision_overdue',
    );
    expect(
      overdueEvent?.payload?.$case === 'transitioned' && JSON.parse(overdueEvent.payload.value.detailsJson),
    ).toEqual({ supervision: 1, dueAt, supervisor: 'regional_gm staff', supervisorId: 's-regional_gm' });

    const answer = (text: string) =>
      harness.act(handle, { action: 'answer_supervision', params: { answer: text }, actor: staff('frontline') });
    expect((await answer('已电话联系业主，维修已安排')).supervisions?.[0].status).toBe('answered');
    await expect(answer('再答一次')).rejects.toThrow(/waits for the supervisor/);
    // Below the supervisor's level, and not the supervisor: may not decide.
    await expect(
      harness.act(handle, { action: 'return_supervision', params: { reason: '不够' }, actor: propertyHead }),
    ).rejects.toThrow(/may not decide on supervision by regional_gm/);
    const returned = await harness.act(handle, {
      action: 'return_supervision',
      params: { reason: '要书面答复，不是电话' },
      actor: staff('regional_gm'),
    });
    expect(returned.supervisions?.[0].status).toBe('returned');
    await answer('已书面答复业主并签收');
    // Someone above the supervisor may accept too.
    const accepted = await harness.act(handle, {
      action: 'accept_supervision',
      params: { note: '可以' },
      actor: staff('group_hq'),
    });
    expect(accepted.status).toBe('acknowledged');
    expect(accepted.supervisions?.[0]).toMatchObject({
      status: 'accepted',
      acceptedBy: { id: 's-group_hq' },
      rounds: [
        { kind: 'answer', text: '已电话联系业主，维修已安排' },
        { kind: 'return', text: '要书面答复，不是电话' },
        { kind: 'answer', text: '已书面答复业主并签收' },
      ],
    });
    expect(await harness.storyOf(input.complaintId, 12)).toEqual(
      expect.arrayContaining([
        'supervise:acknowledged',
        'answer_supervision:acknowledged',
        'return_supervision:acknowledged',
        'accept_supervision:acknowledged',
      ]),
    );

    // Supervised again later, in another status, and answered in time: not overdue.
    await harness.act(handle, {
      action: 'resolve',
      params: { liability: 'responsible', validity: 'valid', result: '已处理' },
      actor: staff('regional_gm'),
    });
    const again = await harness.act(handle, {
      action: 'supervise',
      params: { instructions: '回访时确认满意度', dueAt: await inDays(2) },
      actor: staff('group_hq'),
    });
    expect(again.status).toBe('resolved');
    expect(again.supervisions?.map((supervision) => supervision.status)).toEqual(['accepted', 'open']);
    await answer('已安排主管回访');
    await harness.sleep('3d');
    expect((await harness.state(handle)).supervisions?.[1].overdueAt).toBeNull();
    await harness.finish(handle);
  });
});
