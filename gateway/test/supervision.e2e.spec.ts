import { call, eventually, signInStaff, startTestPlatform, type RunningPlatform } from '@complaints/devstack';

interface Supervision {
  number: number;
  status: string;
  by: { id: string } | null;
  rounds: { kind: string; text: string }[];
}

interface Lifecycle {
  status: string;
  supervision: Supervision | null;
  supervisions: Supervision[];
}

interface Problem {
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

interface Entry {
  type: string;
  actor: { id: string } | null;
  details: Record<string, unknown>;
}

// Supervision from above (督办) and the quality department's spot checks (品质部抽查) through the
// gateway, on the whole platform with the demo group's staff: sh-mall and sh-tower in region east
// (regional GM s-gao-feng), s-liu-yang heads sh-mall, s-wu-fang sh-tower, s-xu-jing inspects
// quality at sh-mall. The overdue due time is the workflow's (test/supervision.workflow.spec.ts).
describe('supervision and spot checks through the gateway', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    platform = await startTestPlatform('supervision');
    url = `${platform.gatewayUrl}/v1`;
    key = platform.apiKey;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const registration = (contact: string, extra: Record<string, unknown> = {}) => ({
    propertyId: 'sh-mall',
    channel: 'phone',
    complainant: { name: '钱七', contact, type: 'consumer' },
    description: '停车场的指示牌不够清楚',
    ...extra,
  });

  async function registered(contact: string): Promise<string> {
    const response = await call(`${url}/complaints`, key, { body: registration(contact) });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await eventually(async () => {
      const body = (await (await call(`${url}/complaints/${id}`, key)).json()) as { lifecycle: Lifecycle | null };
      return body.lifecycle ?? undefined;
    }, 'the lifecycle to start');
    return id;
  }

  const act = (id: string, path: string, body: Record<string, unknown>, as = key) =>
    call(`${url}/complaints/${id}/${path}`, as, { body });
  const tomorrow = () => new Date(Date.now() + 24 * 3_600_000).toISOString();

  it('is given from above, answered, returned, answered again and accepted; the status stays; refused out of scope or level', async () => {
    const id = await registered('13900007001');
    const instructions = { instructions: '今天内给业主书面答复', dueAt: tomorrow() };

    // Another property's head, named by a key: not their complaint.
    const elsewhere = await act(id, 'supervision', { staffId: 's-wu-fang', ...instructions });
    expect(elsewhere.status).toBe(403);
    // Signed in, another property's head does not even see it.
    const wuFang = await signInStaff(platform.oidc, 's-wu-fang');
    expect((await act(id, 'supervision', instructions, wuFang)).status).toBe(404);
    // Below a property head: refused, signed in or named.
    const liNa = await signInStaff(platform.oidc, 's-li-na');
    const tooLow = await act(id, 'supervision', instructions, liNa);
    expect(tooLow.status).toBe(403);
    expect(((await tooLow.json()) as Problem).detail).toMatch(/property heads and above/);
    expect((await act(id, 'supervision', { staffId: 's-zhao-min', ...instructions })).status).toBe(403);
    // A due time already past is bad input.
    const past = await act(id, 'supervision', {
      staffId: 's-gao-feng',
      ...instructions,
      dueAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(((await past.json()) as Problem).invalidParams).toEqual([
      { name: 'dueAt', reason: 'must be in the future' },
    ]);

    // The property head hands it to himself: handling it, he may not supervise it; the regional GM may.
    const handed = await call(`${url}/complaints/${id}/assignment`, key, {
      body: { handlerId: 's-liu-yang', reason: '项目负责人亲自处理' },
    });
    expect(handed.status).toBe(200);
    await eventually(async () => {
      const body = (await (await call(`${url}/complaints/${id}`, key)).json()) as { handler: { id: string } | null };
      return body.handler?.id === 's-liu-yang' || undefined;
    }, 'the new handler');
    const own = await act(id, 'supervision', { staffId: 's-liu-yang', ...instructions });
    expect(own.status).toBe(403);
    expect(((await own.json()) as Problem).detail).toMatch(/handles this complaint/);

    const gaoFeng = await signInStaff(platform.oidc, 's-gao-feng');
    const supervised = await act(id, 'supervision', instructions, gaoFeng);
    expect(supervised.status).toBe(200);
    expect(await supervised.json()).toMatchObject({
      status: 'assigned',
      supervision: { number: 1, status: 'open', by: { id: 's-gao-feng' } },
    });
    const twice = await act(id, 'supervision', { staffId: 's-guo-wei', ...instructions });
    expect(twice.status).toBe(409);

    const answered = await act(id, 'supervision/answer', { answer: '已电话联系业主' }, liNa);
    expect(((await answered.json()) as Lifecycle).supervision?.status).toBe('answered');
    // The property head is below the regional GM who supervises: he may not decide on it.
    expect((await act(id, 'supervision/return', { staffId: 's-liu-yang', reason: '不够' })).status).toBe(403);
    const returned = await act(id, 'supervision/return', { reason: '要书面答复' }, gaoFeng);
    expect(((await returned.json()) as Lifecycle).supervision?.status).toBe('returned');
    await act(id, 'supervision/answer', { staffId: 's-li-na', answer: '已书面答复业主并签收' });
    const accepted = await act(id, 'supervision/accept', { note: '可以' }, gaoFeng);
    expect(accepted.status).toBe(200);
    const done = (await accepted.json()) as Lifecycle;
    expect(done).toMatchObject({ status: 'assigned', supervision: null });
    expect(done.supervisions).toMatchObject([
      {
        status: 'accepted',
        rounds: [
          { kind: 'answer', text: '已电话联系业主' },
          { kind: 'return', text: '要书面答复' },
          { kind: 'answer', text: '已书面答复业主并签收' },
        ],
      },
    ]);
    // Supervised again later: a new one.
    const again = await act(id, 'supervision', { staffId: 's-guo-wei', instructions: '周五前回访', dueAt: tomorrow() });
    expect(((await again.json()) as Lifecycle).supervision).toMatchObject({ number: 2, status: 'open' });

    const entries = await eventually(async () => {
      const body = (await (await call(`${url}/complaints/${id}/timeline`, key)).json()) as { entries: Entry[] };
      return body.entries.filter((entry) => entry.type.includes('supervis')).length >= 6 ? body.entries : undefined;
    }, 'the supervision on the timeline');
    expect(entries.filter((entry) => entry.type.includes('supervis')).map((entry) => entry.type)).toEqual([
      'supervise',
      'answer_supervision',
      'return_supervision',
      'answer_supervision',
      'accept_supervision',
      'supervise',
    ]);
    expect(entries.find((entry) => entry.type === 'return_supervision')).toMatchObject({
      actor: { id: 's-gao-feng' },
      details: { reason: '要书面答复', supervision: 1 },
    });
  });

  it('takes spot checks of closed complaints from the quality department only, listed on the complaint and its timeline', async () => {
    const open = await registered('13900007002');
    const check = { verdict: 'nonconforming', findings: '未在规定时间内首次答复', followUp: '客服部培训首问责任制' };
    const notClosed = await act(open, 'spot-checks', { staffId: 's-xu-jing', ...check });
    expect(notClosed.status).toBe(409);
    expect(((await notClosed.json()) as Problem).detail).toMatch(/only closed complaints/);

    const created = await call(`${url}/complaints`, key, {
      body: registration('13900007003', { resolvedAtFirstContact: true, firstContactAnswer: '已当场告知' }),
    });
    const { id } = (await created.json()) as { id: string };
    // Not the quality department: the desk, the property head, a key naming either.
    expect((await act(id, 'spot-checks', check, await signInStaff(platform.oidc, 's-liu-yang'))).status).toBe(403);
    expect((await act(id, 'spot-checks', { staffId: 's-li-na', ...check })).status).toBe(403);
    expect((await act(id, 'spot-checks', { ...check, verdict: 'fine', staffId: 's-xu-jing' })).status).toBe(400);

    const xuJing = await signInStaff(platform.oidc, 's-xu-jing');
    const recorded = await act(id, 'spot-checks', check, xuJing);
    expect(recorded.status).toBe(201);
    expect(await recorded.json()).toMatchObject({
      type: 'spot_check',
      actor: { id: 's-xu-jing' },
      details: { verdict: 'nonconforming', findings: check.findings, followUp: check.followUp },
    });
    const viaKey = await act(id, 'spot-checks', { staffId: 's-xu-jing', verdict: 'conforming', findings: '已整改' });
    expect(viaKey.status).toBe(201);

    const view = (await (await call(`${url}/complaints/${id}`, key)).json()) as {
      spotChecks: { verdict: string; followUp: string | null; by: { id: string } }[];
    };
    expect(view.spotChecks).toMatchObject([
      { verdict: 'nonconforming', followUp: check.followUp, by: { id: 's-xu-jing' } },
      { verdict: 'conforming', followUp: null, by: { id: 's-xu-jing' } },
    ]);
  });
});
