import { type RunningPlatform, eventually, startTestPlatform } from '@complaints/devstack';
import { call } from './in-process-gateway';

interface Action {
  id: string;
  complaintId: string;
  source: string;
  status: string;
  overdue: boolean;
  owner: { id: string; name: string };
  history: { step: string; by: { id: string } | null; text: string }[];
}

// Corrective and preventive actions (纠正与预防措施) on the whole platform: opened by a
// resolution, by a recurring problem and by a spot check's follow-up (events), followed through the gateway.
describe('corrective actions through the gateway', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    platform = await startTestPlatform('corrective');
    url = `${platform.gatewayUrl}/v1`;
    key = platform.apiKey;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  async function registered(contact: string, description: string): Promise<string> {
    const response = await call(`${url}/complaints`, key, {
      body: {
        propertyId: 'sh-mall',
        channel: 'phone',
        complainant: { name: '钱七', contact, type: 'consumer' },
        description,
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await eventually(async () => {
      const body = (await (await call(`${url}/complaints/${id}`, key)).json()) as { escalationLevel: string | null };
      return body.escalationLevel ?? undefined;
    }, 'the lifecycle to start');
    return id;
  }

  const list = async (query: string) => {
    const response = await call(`${url}/corrective-actions?${query}`, key);
    expect(response.status).toBe(200);
    return ((await response.json()) as { actions: Action[] }).actions;
  };
  const step = (id: string, name: string, body: Record<string, unknown>) =>
    call(`${url}/corrective-actions/${encodeURIComponent(id)}/${name}`, key, { body });

  it('follows a resolution’s corrective action from open to verified, by its owner and someone above', async () => {
    const complaintId = await registered('13900000301', '停车场的指示牌不够清楚');
    expect(
      (await call(`${url}/complaints/${complaintId}/acknowledge`, key, { body: { staffId: 's-li-na', reply: '您好' } }))
        .status,
    ).toBe(200);
    const resolved = await call(`${url}/complaints/${complaintId}/resolve`, key, {
      body: {
        staffId: 's-li-na',
        liability: 'responsible',
        result: '已更换指示牌',
        remedy: { kind: 'apology' },
        cause: { text: '指示牌老化未及时更换', category: 'facility_equipment' },
        correctiveAction: {
          description: '每月巡检停车场标识',
          ownerId: 's-chen-jie',
          dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
        },
      },
    });
    expect(resolved.status).toBe(200);
    const opened = await eventually(
      async () => (await list('status=open')).find((action) => action.complaintId === complaintId),
      'the corrective action to open',
    );
    expect(opened).toMatchObject({ source: 'resolution', owner: { id: 's-chen-jie' }, overdue: false });
    expect((await list('owner=s-chen-jie')).map((action) => action.id)).toContain(opened.id);
    expect((await list('status=verified')).map((action) => action.id)).not.toContain(opened.id);

    const early = await step(opened.id, 'verify', { staffId: 's-zhao-min' });
    expect(early.status).toBe(409);
    const notOwner = await step(opened.id, 'done', { staffId: 's-li-na', report: '已巡检' });
    expect(notOwner.status).toBe(403);
    const noReport = await step(opened.id, 'done', { staffId: 's-chen-jie' });
    expect(noReport.status).toBe(400);
    const done = await step(opened.id, 'done', { staffId: 's-chen-jie', report: '已制定月度巡检表' });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: 'done' });

    expect((await step(opened.id, 'verify', { staffId: 's-chen-jie' })).status).toBe(403);
    const tooLow = await step(opened.id, 'return', { staffId: 's-li-na', reason: '不够' });
    expect(tooLow.status).toBe(403);
    expect(((await tooLow.json()) as { detail: string }).detail).toMatch(/needs supervisor or above/);
    const returned = await step(opened.id, 'return', { staffId: 's-zhao-min', reason: '巡检表缺少夜间班次' });
    expect(returned.status).toBe(200);
    expect(await returned.json()).toMatchObject({ status: 'open' });
    expect((await step(opened.id, 'done', { staffId: 's-chen-jie', report: '已补充夜间班次' })).status).toBe(200);
    const verified = await step(opened.id, 'verify', { staffId: 's-liu-yang', note: '抽查合格' });
    expect(verified.status).toBe(200);
    const final = (await verified.json()) as Action;
    expect(final.status).toBe('verified');
    expect(final.history.map((entry) => entry.step)).toEqual(['opened', 'done', 'returned', 'done', 'verified']);

    // Each step is an event of the complaint: on its timeline once, and counted in its reports.
    const steps = await eventually(async () => {
      const response = await call(`${url}/complaints/${complaintId}/timeline?limit=500`, key);
      const { entries } = (await response.json()) as { entries: { type: string; details: Record<string, unknown> }[] };
      const found = entries.filter((entry) => entry.type === 'corrective_action').map((entry) => entry.details);
      return found.length >= 5 ? found : undefined;
    }, 'the corrective action’s steps on the complaint’s timeline');
    expect(steps.map((details) => [details.step, details.status])).toEqual([
      ['opened', 'open'],
      ['done', 'done'],
      ['returned', 'open'],
      ['done', 'done'],
      ['verified', 'verified'],
    ]);
    expect(steps[0]).toMatchObject({
      correctiveActionId: opened.id,
      owner: opened.owner.name,
      text: '每月巡检停车场标识',
    });
    expect(steps[2]).toMatchObject({ text: '巡检表缺少夜间班次' });
    const { timeZone } = (await (await call(`${url}/reports/figures`, key)).json()) as { timeZone: string };
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })
      .format(new Date())
      .split('-')
      .map(Number);
    const figures = await eventually(async () => {
      const report = await call(`${url}/reports/half/${year}-H${month <= 6 ? 1 : 2}?scope=property:sh-mall`, key);
      const body = (await report.json()) as { figures: Record<string, number> };
      return body.figures?.correctiveActionsVerified === 1 ? body.figures : undefined;
    }, 'the half-year report counting the verified corrective action');
    expect(figures).toMatchObject({ correctiveActions: 1, correctiveActionsVerified: 1, correctiveActionsOverdue: 0 });

    const missing = await call(`${url}/corrective-actions/no-such-action`, key);
    expect(missing.status).toBe(404);
    const badStatus = await call(`${url}/corrective-actions?status=late`, key);
    expect(badStatus.status).toBe(400);
  });

  it('opens one for a recurring problem, owned by the property head', async () => {
    const first = await registered('13900000302', '卫生间没有洗手液');
    // Withdrawn, then reported again: the problem recurs (a report while it is open joins it instead).
    expect((await call(`${url}/complaints/${first}/withdraw`, key, { body: { reason: '已补充' } })).status).toBe(200);
    const second = await registered('13900000302', '卫生间又没有洗手液了');
    const opened = await eventually(
      async () => (await list('owner=s-liu-yang')).find((action) => action.complaintId === second),
      'the recurring problem’s corrective action',
    );
    expect(opened).toMatchObject({ source: 'recurring', status: 'open', owner: { id: 's-liu-yang' } });
    expect((await list('owner=s-liu-yang')).some((action) => action.complaintId === first)).toBe(false);
  });
  it('opens one for the follow-up a nonconforming spot check asks for, also of a complaint closed at first contact', async () => {
    const created = await call(`${url}/complaints`, key, {
      body: {
        propertyId: 'sh-mall',
        channel: 'phone',
        complainant: { name: '钱七', contact: '13900000303', type: 'consumer' },
        description: '询问停车优惠',
        resolvedAtFirstContact: true,
        firstContactAnswer: '已当场告知',
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const check = (body: Record<string, unknown>) =>
      call(`${url}/complaints/${id}/spot-checks`, key, { body: { staffId: 's-xu-jing', ...body } });
    // Conforming, or nonconforming with nothing asked: nothing to follow.
    expect((await check({ verdict: 'conforming', findings: '答复及时' })).status).toBe(201);
    expect((await check({ verdict: 'nonconforming', findings: '未登记来电号码' })).status).toBe(201);
    expect(
      (await check({ verdict: 'nonconforming', findings: '未告知优惠期限', followUp: '客服部更新停车优惠话术' }))
        .status,
    ).toBe(201);

    const opened = await eventually(
      async () => (await list('owner=s-liu-yang')).find((action) => action.complaintId === id),
      'the spot check’s corrective action',
    );
    expect(opened).toMatchObject({ source: 'spot_check', status: 'open', owner: { id: 's-liu-yang' } });
    expect((opened as Action & { description: string }).description).toContain('客服部更新停车优惠话术');
    // The three checks' events are all handled by now (one consumer, in order): only one was opened.
    expect((await list('owner=s-liu-yang')).filter((action) => action.complaintId === id)).toHaveLength(1);
  });
});
