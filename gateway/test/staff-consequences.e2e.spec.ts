import { call, eventually, signInStaff, startTestPlatform, type RunningPlatform } from '@complaints/devstack';

interface Consequence {
  staff: { id: string; name: string };
  kind: string;
  measure: string;
  amount: string | null;
  decidedBy: { id: string; name: string; viaKeyId?: string };
  decidedLevel: string;
}
interface Complaint {
  id: string;
  involvedStaff: string;
  involvedStaffId: string | null;
  consequences: Consequence[];
  handler: { id: string } | null;
  lifecycle: object | null;
}
interface Problem {
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}
interface Breakdown {
  key: string;
  name?: string;
  figures: Record<string, number | null>;
}

// Complaints about staff and what follows from them (seeds: 每半年投诉工作考评, 纪律处分, 处罚直接责任者):
// the staff member complained about is picked from the directory at registration or named later by a
// correction; rewards and penalties are recorded by a level that may decide them; the half-year
// report counts complaints, outcomes and consequences per staff member complained about.
// The demo group's sh-mall: 李娜 (frontline), 赵敏 (customer service supervisor), 刘洋 (property head).
describe('complaints about staff and their consequences', () => {
  let platform: RunningPlatform;
  const tokens: Record<string, string> = {};
  let complaint: Complaint;

  const url = (path: string) => `${platform.gatewayUrl}/v1${path}`;
  const read = async (id: string): Promise<Complaint> => {
    const response = await call(url(`/complaints/${id}`), platform.apiKey);
    expect(response.status).toBe(200);
    return (await response.json()) as Complaint;
  };
  const register = (body: Record<string, unknown>) =>
    call(url('/complaints'), platform.apiKey, {
      body: {
        channel: 'phone',
        propertyId: 'sh-mall',
        complainant: { name: '张三', contact: '13800138000', type: 'consumer' },
        description: '服务台工作人员态度冷淡，不理会顾客询问',
        categoryHint: 'service_quality',
        ...body,
      },
    });
  const decide = (id: string, body: Record<string, unknown>, token: string) =>
    call(url(`/complaints/${id}/staff-consequences`), token, { body });
  const problem = async (response: Response) => (await response.json()) as Problem;

  beforeAll(async () => {
    platform = await startTestPlatform('staff-consequences');
    for (const staffId of ['s-li-na', 's-zhao-min', 's-liu-yang', 's-zhou-qiang']) {
      tokens[staffId] = await signInStaff(platform.oidc, staffId);
    }
    const response = await register({ involvedStaffId: 's-li-na' });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    complaint = await eventually(async () => {
      const current = await read(id);
      return current.lifecycle && current.handler ? current : undefined;
    }, 'the complaint routed with its lifecycle running');
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  });

  it('picks the staff member complained about from the directory, named as the directory names them', async () => {
    expect(complaint).toMatchObject({ involvedStaffId: 's-li-na', involvedStaff: '李娜 Li Na', consequences: [] });
    const unknown = await register({ involvedStaffId: 's-nobody' });
    expect(unknown.status).toBe(400);
    expect((await problem(unknown)).invalidParams).toEqual([
      { name: 'involvedStaffId', reason: 'is not a staff member of this group' },
    ]);
  });

  it('decides nothing before the complaint is resolved', async () => {
    const early = await decide(
      complaint.id,
      { staffId: 's-li-na', measure: 'training', reason: '服务态度' },
      tokens['s-zhao-min'],
    );
    expect(early.status).toBe(409);
    expect((await problem(early)).detail).toMatch(/decided once it is resolved/);
  });

  it('records a reward or penalty by a level that may decide it, above the colleague', async () => {
    const act = (path: string, body: Record<string, unknown>) =>
      call(url(`/complaints/${complaint.id}/${path}`), platform.apiKey, { body: { staffId: 's-li-na', ...body } });
    expect((await act('acknowledge', { reply: '您好，已收到' })).status).toBe(200);
    // Service attitude is an important complaint: its plan is approved before it is resolved.
    expect((await act('plan', { plan: '约谈当班员工，向顾客致歉' })).status).toBe(200);
    expect((await act('plan/approve', { staffId: 's-liu-yang' })).status).toBe(200);
    const resolved = await act('resolve', { liability: 'responsible', result: '已对当班员工进行批评教育并致歉' });
    expect([resolved.status, resolved.status === 200 ? '' : (await problem(resolved)).detail]).toEqual([200, '']);

    // A supervisor may give a verbal warning, not withhold pay; the amount goes with money measures only.
    // Intake learns of the resolution from escalation's event, a moment after the answer above.
    const warning = await eventually(async () => {
      const answer = await decide(
        complaint.id,
        { staffId: 's-li-na', measure: 'verbal_warning', reason: '对顾客询问不予理会' },
        tokens['s-zhao-min'],
      );
      return answer.status === 409 ? undefined : answer;
    }, 'intake knowing the complaint resolved');
    expect(warning.status).toBe(201);
    const deduction = { staffId: 's-li-na', measure: 'performance_deduction', amount: '200', reason: '服务态度差' };
    const tooLow = await decide(complaint.id, deduction, tokens['s-zhao-min']);
    expect(tooLow.status).toBe(403);
    expect((await problem(tooLow)).detail).toMatch(/performance_deduction is decided at manager level or above/);
    const noAmount = await decide(complaint.id, { ...deduction, amount: undefined }, tokens['s-liu-yang']);
    expect(noAmount.status).toBe(400);
    expect((await problem(noAmount)).invalidParams).toEqual([
      { name: 'amount', reason: 'is required for performance_deduction' },
    ]);
    // Nobody decides on a colleague at their own level or above, nor on themselves.
    const peer = await decide(
      complaint.id,
      { staffId: 's-zhou-qiang', measure: 'commendation', reason: '协助' },
      tokens['s-zhao-min'],
    );
    expect(peer.status).toBe(403);
    expect((await problem(peer)).detail).toMatch(/higher level than supervisor/);
    // Frontline staff decide nothing, and a property outside one's scope is not decided on.
    expect(
      (await decide(complaint.id, { staffId: 's-wang-lei', measure: 'commendation', reason: '好' }, tokens['s-li-na']))
        .status,
    ).toBe(403);
    expect(
      (await decide(complaint.id, { staffId: 's-li-na', measure: 'training', reason: '培训' }, tokens['s-zhou-qiang']))
        .status,
    ).toBe(404);

    // Through a partner's key, the staff member it names meets what they would signed in: another
    // department's manager, or a supervisor of another property, decides nothing here.
    const otherDepartment = await decide(complaint.id, { ...deduction, decidedBy: 's-chen-jie' }, platform.apiKey);
    expect(otherDepartment.status).toBe(403);
    expect((await problem(otherDepartment)).detail).toMatch(/may not decide on this complaint: .*another department/);
    const otherProperty = await decide(
      complaint.id,
      { staffId: 's-li-na', measure: 'training', reason: '培训', decidedBy: 's-zhou-qiang' },
      platform.apiKey,
    );
    expect(otherProperty.status).toBe(403);
    expect((await problem(otherProperty)).detail).toMatch(/outside their scope/);
    // For the manager it names.
    const byKey = await decide(complaint.id, { ...deduction, decidedBy: 's-liu-yang' }, platform.apiKey);
    expect(byKey.status).toBe(201);
    const view = (await byKey.json()) as Complaint;
    expect(
      view.consequences.map(({ staff, kind, measure, amount, decidedBy, decidedLevel }) => ({
        staff,
        kind,
        measure,
        amount,
        decidedBy: decidedBy.id,
        via: Boolean(decidedBy.viaKeyId),
        decidedLevel,
      })),
    ).toEqual([
      {
        staff: { id: 's-li-na', name: '李娜 Li Na' },
        kind: 'penalty',
        measure: 'verbal_warning',
        amount: null,
        decidedBy: 's-zhao-min',
        via: false,
        decidedLevel: 'supervisor',
      },
      {
        staff: { id: 's-li-na', name: '李娜 Li Na' },
        kind: 'penalty',
        measure: 'performance_deduction',
        amount: '200',
        decidedBy: 's-liu-yang',
        via: true,
        decidedLevel: 'property_head',
      },
    ]);

    const response = await call(url(`/complaints/${complaint.id}/timeline?limit=500`), platform.apiKey);
    const { entries } = (await response.json()) as { entries: { type: string; details: Record<string, unknown> }[] };
    expect(entries.filter((entry) => entry.type === 'staff_consequence').map((entry) => entry.details)).toEqual([
      expect.objectContaining({ staff: '李娜 Li Na', measure: 'verbal_warning', kind: 'penalty', level: 'supervisor' }),
      expect.objectContaining({
        staff: '李娜 Li Na',
        measure: 'performance_deduction',
        amount: '200',
        level: 'property_head',
      }),
    ]);
  });

  it('counts complaints, outcomes and consequences per staff member complained about in the half-year report', async () => {
    const { timeZone } = (await (await call(url('/reports/figures'), platform.apiKey)).json()) as { timeZone: string };
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })
      .format(new Date())
      .split('-')
      .map(Number);
    const half = `${year}-H${month <= 6 ? 1 : 2}`;
    // A colleague commended after the complaint about 李娜: counted under them, not under her.
    const commended = await decide(
      complaint.id,
      { staffId: 's-wang-lei', measure: 'commendation', reason: '协助当班员工妥善处理' },
      tokens['s-liu-yang'],
    );
    expect(commended.status).toBe(201);
    const rows = await eventually(async () => {
      const report = await call(url(`/reports/half/${half}?scope=property:sh-mall`), platform.apiKey);
      const { breakdowns } = (await report.json()) as { breakdowns: Record<string, Breakdown[]> };
      const liNa = breakdowns.involvedStaff?.find((entry) => entry.key === 's-li-na');
      const wangLei = breakdowns.involvedStaff?.find((entry) => entry.key === 's-wang-lei');
      return liNa && liNa.figures.penalties === 2 && wangLei ? { liNa, wangLei } : undefined;
    }, 'the half-year report counting 李娜’s complaint and penalties, and 王磊’s commendation');
    expect(rows.liNa).toMatchObject({
      name: '李娜 Li Na',
      figures: { received: 1, aboutStaff: 1, rewards: 0, penalties: 2 },
    });
    expect(rows.wangLei).toMatchObject({ figures: { received: 0, aboutStaff: 0, rewards: 1, penalties: 0 } });
    expect(rows.wangLei.name).toMatch(/王磊/);
  });

  it('names the staff member complained about later by a correction, on the timeline and in the report', async () => {
    // Another complainant: the same one's second complaint would be merged into the first, still open.
    const response = await register({ complainant: { name: '李四', contact: '13900139000', type: 'consumer' } });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect((await read(id)).involvedStaffId).toBeNull();
    const unknown = await call(url(`/complaints/${id}/corrections`), platform.apiKey, {
      body: { reason: '调查后确认当事人', involvedStaffId: 's-nobody' },
    });
    expect(unknown.status).toBe(400);
    const corrected = await call(url(`/complaints/${id}/corrections`), platform.apiKey, {
      body: { reason: '调查后确认当事人', involvedStaffId: 's-wang-lei' },
    });
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({ involvedStaffId: 's-wang-lei', involvedStaff: '王磊 Wang Lei' });
    const timeline = await call(url(`/complaints/${id}/timeline?limit=500`), platform.apiKey);
    const { entries } = (await timeline.json()) as { entries: { type: string; details: Record<string, unknown> }[] };
    expect(entries.find((entry) => entry.type === 'corrected')?.details).toMatchObject({
      changes: [{ field: 'involvedStaff', before: '', after: '王磊 Wang Lei' }],
    });
  });
});
