import { type RunningPlatform, eventually, signInStaff, startTestPlatform } from '@complaints/devstack';
import { call } from './in-process-gateway';

interface WorkOrder {
  id: string;
  number: string;
  propertyId: string;
  location: string;
  trade: string;
  urgency: string;
  channel: string;
  status: string;
  complaint: { id: string; number: string; waits: boolean } | null;
  raisedAt: string;
  arriveBy: string;
  completeBy: string;
  overdue: { arrival: boolean; completion: boolean };
  assignee: { id: string; name: string } | null;
  dispatchedByRule: boolean;
  arrivedAt: string | null;
  completedAt: string | null;
  workDone: string;
  materials: { name: string; quantity: number; unit: string }[];
  photos: string[];
  confirmedAt: string | null;
  rating: number | null;
  reworks: number;
  repeatRepair: { id: string; number: string } | null;
}

interface Problem {
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

const MINUTE = 60_000;

// Repair work orders (报修) through the gateway on the whole platform: intake stores them,
// escalation plans their times on the region's calendar and follows them with timers.
describe('repair work orders', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    platform = await startTestPlatform('work-orders');
    url = `${platform.gatewayUrl}/v1`;
    key = platform.apiKey;
    // Maintenance staff of the mall with their trades; 王磊 of engineering lists none.
    for (const [id, name, trades] of [
      ['s-wo-plumber', '钱师傅 plumber', ['plumbing']],
      ['s-wo-electrician', '孙师傅 electrician', ['electrical', 'lifts']],
    ] as const) {
      const put = await call(`${url}/admin/staff/${id}`, key, {
        method: 'PUT',
        body: {
          name,
          roleLevel: 'frontline',
          departmentId: 'sh-mall-engineering',
          propertyIds: ['sh-mall'],
          onDuty: true,
          trades,
        },
      });
      expect(put.status).toBe(200);
    }
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  });

  const post = (path: string, body: unknown, as = key) => call(`${url}${path}`, as, { body });
  async function ok<T>(response: Response, status = 200): Promise<T> {
    const text = await response.text();
    if (response.status !== status) throw new Error(`${response.url}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
  const raise = async (body: Record<string, unknown>) => ok<WorkOrder>(await post('/work-orders', body), 201);

  async function complaintInWork(contact: string): Promise<{ id: string; number: string }> {
    const registered = await ok<{ id: string; number: string }>(
      await post('/complaints', {
        propertyId: 'sh-mall',
        channel: 'phone',
        complainant: { name: '赵六', contact, type: 'tenant', unit: 'L2-018' },
        location: 'L2-018 店铺后仓',
        description: '店铺后仓天花板漏水，货品被淋湿',
      }),
      201,
    );
    await eventually(async () => {
      const view = await ok<{ escalationLevel: string | null }>(await call(`${url}/complaints/${registered.id}`, key));
      return view.escalationLevel ? view : undefined;
    }, 'the lifecycle to start');
    await ok(
      await post(`/complaints/${registered.id}/acknowledge`, { staffId: 's-liu-yang', reply: '已收到，马上派人' }),
    );
    return registered;
  }

  async function timelineTypes(complaintId: string): Promise<{ type: string; details: Record<string, unknown> }[]> {
    const page = await ok<{ entries: { type: string; details: Record<string, unknown> }[] }>(
      await call(`${url}/complaints/${complaintId}/timeline?limit=200`, key),
    );
    return page.entries;
  }

  it('raises one on its own with its own number and times by urgency; an emergency is dispatched at once', async () => {
    const normal = await raise({
      propertyId: 'sh-mall',
      location: '3F 卫生间',
      trade: 'plumbing',
      urgency: 'normal',
      description: '洗手池下水慢',
      channel: 'desk',
      requester: '保洁 王阿姨',
    });
    expect(normal).toMatchObject({ status: 'raised', channel: 'desk', complaint: null, assignee: null, rating: null });
    expect(normal.number).toMatch(/^WO-SHM01-\d{8}-\d{4}$/);
    // Working time on the region's calendar: a whole business day and more to arrive, more to finish.
    expect(Date.parse(normal.arriveBy)).toBeGreaterThanOrEqual(Date.parse(normal.raisedAt) + 9 * 60 * MINUTE);
    expect(Date.parse(normal.completeBy)).toBeGreaterThan(Date.parse(normal.arriveBy));
    expect(normal.overdue).toEqual({ arrival: false, completion: false });

    const emergency = await raise({
      propertyId: 'sh-mall',
      location: 'B2 水泵房',
      trade: 'plumbing',
      urgency: 'emergency',
      description: '水管爆裂，地面积水',
    });
    // On the clock, day and night: 30 minutes to get there, 4 hours to be done.
    expect(Date.parse(emergency.arriveBy) - Date.parse(emergency.raisedAt)).toBe(30 * MINUTE);
    expect(Date.parse(emergency.completeBy) - Date.parse(emergency.raisedAt)).toBe(4 * 60 * MINUTE);
    expect(emergency).toMatchObject({
      status: 'dispatched',
      dispatchedByRule: true,
      assignee: { id: 's-wo-plumber' },
    });
    expect(emergency.number).not.toBe(normal.number);
    expect((await ok<WorkOrder>(await call(`${url}/work-orders/${normal.id}`, key))).number).toBe(normal.number);
  });

  it('dispatches by trade to whoever does it, else to engineering; by hand to a named member', async () => {
    const order = (trade: string, location: string) =>
      raise({ propertyId: 'sh-mall', location, trade, urgency: 'urgent', description: `${trade} 报修` });
    const dispatch = async (id: string, body: object = {}) =>
      ok<WorkOrder>(await post(`/work-orders/${id}/dispatch`, body));

    expect((await dispatch((await order('electrical', '1F 配电间')).id)).assignee?.id).toBe('s-wo-electrician');
    expect((await dispatch((await order('plumbing', '2F 茶水间')).id)).assignee?.id).toBe('s-wo-plumber');
    // Nobody lists HVAC: the mall's engineering department, the least loaded of it first (王磊 has none open).
    const hvac = await dispatch((await order('hvac', '4F 空调机房')).id);
    expect(hvac).toMatchObject({ status: 'dispatched', dispatchedByRule: true, assignee: { id: 's-wang-lei' } });
    // By hand, then handed to someone else before anyone got there.
    const civil = await order('civil', '5F 走廊');
    expect(await dispatch(civil.id, { staffId: 's-wo-plumber' })).toMatchObject({
      dispatchedByRule: false,
      assignee: { id: 's-wo-plumber' },
    });
    expect((await dispatch(civil.id, { staffId: 's-wang-lei' })).assignee?.id).toBe('s-wang-lei');

    const elsewhere = await post(`/work-orders/${civil.id}/dispatch`, { staffId: 's-he-jun' });
    expect(elsewhere.status).toBe(400);
    expect(((await elsewhere.json()) as Problem).invalidParams).toEqual([expect.objectContaining({ name: 'staffId' })]);
  });

  it('records arrival, the work done with materials and photos, and the requester’s confirmation with a rating', async () => {
    const order = await raise({
      propertyId: 'sh-mall',
      location: 'L1-006',
      trade: 'electrical',
      urgency: 'urgent',
      description: '店铺照明跳闸',
      channel: 'phone',
    });
    const early = await post(`/work-orders/${order.id}/complete`, { workDone: '更换空开' });
    expect(early.status).toBe(409);
    await ok(await post(`/work-orders/${order.id}/dispatch`, {}));
    const arrived = await ok<WorkOrder>(await post(`/work-orders/${order.id}/arrive`, {}));
    expect(arrived.status).toBe('arrived');
    expect(Date.parse(arrived.arrivedAt!)).toBeLessThanOrEqual(Date.now());

    const noWork = await post(`/work-orders/${order.id}/complete`, { workDone: '' });
    expect(noWork.status).toBe(400);
    const completed = await ok<WorkOrder>(
      await post(`/work-orders/${order.id}/complete`, {
        workDone: '更换 16A 空气开关，检查线路无短路',
        materials: [
          { name: '空气开关 16A', quantity: 1, unit: '个' },
          { name: '电工胶布', quantity: 0.5, unit: '卷' },
        ],
        photos: ['https://photos.example/wo/before.jpg', 'https://photos.example/wo/after.jpg'],
      }),
    );
    expect(completed).toMatchObject({
      status: 'completed',
      materials: [
        { name: '空气开关 16A', quantity: 1, unit: '个' },
        { name: '电工胶布', quantity: 0.5, unit: '卷' },
      ],
      photos: ['https://photos.example/wo/before.jpg', 'https://photos.example/wo/after.jpg'],
    });

    const badRating = await post(`/work-orders/${order.id}/confirm`, { rating: 6 });
    expect(badRating.status).toBe(400);
    // Not fixed: back to its assignee, to arrive again.
    const rework = await ok<WorkOrder>(
      await post(`/work-orders/${order.id}/confirm`, { fixed: false, rating: 2, feedback: '还是会跳闸' }),
    );
    expect(rework).toMatchObject({ status: 'dispatched', reworks: 1, completedAt: null, arrivedAt: null });
    await ok(await post(`/work-orders/${order.id}/arrive`, {}));
    await ok(await post(`/work-orders/${order.id}/complete`, { workDone: '更换店铺内老化插座' }));
    const confirmed = await ok<WorkOrder>(
      await post(`/work-orders/${order.id}/confirm`, { rating: 5, feedback: '师傅很专业' }),
    );
    expect(confirmed).toMatchObject({ status: 'confirmed', rating: 5, reworks: 1 });
    expect(confirmed.confirmedAt).not.toBeNull();
    const again = await post(`/work-orders/${order.id}/confirm`, { rating: 5 });
    expect(again.status).toBe(409);

    const listed = await ok<{ items: WorkOrder[] }>(
      await call(`${url}/work-orders?status=confirmed&trade=electrical`, key),
    );
    expect(listed.items.map((item) => item.id)).toContain(order.id);
    expect(listed.items.every((item) => item.status === 'confirmed' && item.trade === 'electrical')).toBe(true);
  });

  it('raises from a complaint, linked both ways; the complaint waits on it and goes back to work when it is completed', async () => {
    const complaint = await complaintInWork('13900007001');
    const order = await ok<WorkOrder>(
      await post(`/complaints/${complaint.id}/work-orders`, {
        trade: 'plumbing',
        urgency: 'urgent',
        description: '楼上管道渗漏，需检修',
        waitForIt: true,
      }),
      201,
    );
    expect(order).toMatchObject({
      channel: 'complaint',
      propertyId: 'sh-mall',
      location: 'L2-018 店铺后仓',
      complaint: { id: complaint.id, number: complaint.number, waits: true },
    });
    const linked = await ok<{ items: WorkOrder[] }>(await call(`${url}/complaints/${complaint.id}/work-orders`, key));
    expect(linked.items.map((item) => item.number)).toEqual([order.number]);

    const waiting = await ok<{ status: string; resolveBy: string | null; lifecycle: { waitingOn: unknown } }>(
      await call(`${url}/complaints/${complaint.id}`, key),
    );
    expect(waiting).toMatchObject({
      status: 'awaiting_work_order',
      resolveBy: null,
      lifecycle: { waitingOn: { body: order.number, workOrderId: order.id } },
    });

    // The complainant's own view says it is being handled; a work order is nobody outside the group.
    const seen = await call(`${url}/complainant-view`, undefined, {
      body: { number: complaint.number, contactLastFour: '7001' },
    });
    expect(await seen.json()).toMatchObject({ status: 'awaiting_work_order', waitingOn: null });

    await ok(await post(`/work-orders/${order.id}/dispatch`, { staffId: 's-wo-plumber' }));
    await ok(await post(`/work-orders/${order.id}/arrive`, {}));
    await ok(await post(`/work-orders/${order.id}/complete`, { workDone: '更换楼上渗漏的管件' }));
    const back = await ok<{ status: string; resolveBy: string | null }>(
      await call(`${url}/complaints/${complaint.id}`, key),
    );
    expect(back.status).toBe('acknowledged');
    expect(back.resolveBy).not.toBeNull();
    await ok(await post(`/work-orders/${order.id}/confirm`, { rating: 4 }));

    const entries = await timelineTypes(complaint.id);
    const types = entries.map((entry) => entry.type);
    expect(types).toEqual(
      expect.arrayContaining(['work_order_raised', 'work_order_completed', 'work_order_confirmed']),
    );
    expect(entries.find((entry) => entry.type === 'work_order_raised')?.details).toMatchObject({
      number: order.number,
      workOrderId: order.id,
    });
  });

  it('flags a repeat repair of the same unit and trade, on the work order and on the complaint’s timeline', async () => {
    const complaint = await complaintInWork('13900007002');
    const raiseFrom = async (location: string, trade = 'civil') =>
      ok<WorkOrder>(
        await post(`/complaints/${complaint.id}/work-orders`, {
          location,
          trade,
          urgency: 'normal',
          description: '墙面开裂',
        }),
        201,
      );
    const first = await raiseFrom('L3-101 墙面');
    expect(first.repeatRepair).toBeNull();
    const other = await raiseFrom('L3-101 墙面', 'electrical');
    expect(other.repeatRepair).toBeNull();
    // The same unit written with other spacing is the same unit.
    const second = await raiseFrom('L3-101墙面');
    expect(second.repeatRepair).toEqual({ id: first.id, number: first.number });
    const repeat = (await timelineTypes(complaint.id)).filter((entry) => entry.type === 'repeat_repair');
    expect(repeat).toHaveLength(1);
    expect(repeat[0]?.details).toMatchObject({ number: second.number, repeatOf: first.number });
  });

  it('refuses what is not allowed: out of scope, other departments, a complaint that cannot wait', async () => {
    const mallKey = await ok<{ secret: string }>(
      await post('/admin/api-keys', { name: 'mall desk', propertyIds: ['sh-mall'] }),
      201,
    );
    const outside = await post(
      '/work-orders',
      { propertyId: 'gz-estate', location: '5-302', trade: 'plumbing', urgency: 'normal', description: '漏水' },
      mallKey.secret,
    );
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as Problem).invalidParams).toEqual([
      expect.objectContaining({ name: 'propertyId' }),
    ]);
    const estateOrder = await raise({
      propertyId: 'gz-estate',
      location: '5-302',
      trade: 'plumbing',
      urgency: 'normal',
      description: '漏水',
    });
    expect((await call(`${url}/work-orders/${estateOrder.id}`, mallKey.secret)).status).toBe(404);
    const mallOnlyList = await ok<{ items: WorkOrder[] }>(await call(`${url}/work-orders?limit=200`, mallKey.secret));
    expect(mallOnlyList.items.every((item) => item.propertyId === 'sh-mall')).toBe(true);

    // An operations manager sees the mall's work orders but does not dispatch them; the engineer does.
    const mallOrder = await raise({
      propertyId: 'sh-mall',
      location: 'L1 扶梯',
      trade: 'lifts',
      urgency: 'urgent',
      description: '扶梯异响',
    });
    const operations = await signInStaff(platform.oidc, 's-chen-jie');
    expect((await call(`${url}/work-orders/${mallOrder.id}`, operations)).status).toBe(200);
    expect((await post(`/work-orders/${mallOrder.id}/dispatch`, {}, operations)).status).toBe(403);
    const engineer = await signInStaff(platform.oidc, 's-wang-lei');
    const dispatched = await ok<WorkOrder>(await post(`/work-orders/${mallOrder.id}/dispatch`, {}, engineer));
    expect(dispatched.assignee?.id).toBe('s-wo-electrician');
    const theirs = await ok<{ items: WorkOrder[] }>(await call(`${url}/work-orders?assignedTo=s-wo-electrician`, key));
    expect(theirs.items.map((item) => item.id)).toContain(mallOrder.id);
    expect(theirs.items.every((item) => item.assignee?.id === 's-wo-electrician')).toBe(true);
    // The engineer takes one himself and finds it among his own.
    const own = await raise({
      propertyId: 'sh-mall',
      location: 'L1 扶梯',
      trade: 'civil',
      urgency: 'normal',
      description: '扶梯盖板松动',
    });
    await ok(await post(`/work-orders/${own.id}/dispatch`, { staffId: 's-wang-lei' }, engineer));
    const mine = await ok<{ items: WorkOrder[] }>(await call(`${url}/work-orders?assignedTo=me`, engineer));
    expect(mine.items.map((item) => item.id)).toContain(own.id);
    expect(mine.items.map((item) => item.id)).not.toContain(mallOrder.id);
    expect((await call(`${url}/work-orders?assignedTo=me`, key)).status).toBe(400);

    const unknownTrade = await post('/work-orders', {
      propertyId: 'sh-mall',
      location: 'x',
      trade: 'gardening',
      urgency: 'normal',
      description: 'x',
    });
    expect(unknownTrade.status).toBe(400);
    const nowhere = await post('/work-orders', {
      propertyId: 'sh-mall',
      trade: 'civil',
      urgency: 'normal',
      description: '墙裂',
    });
    expect(nowhere.status).toBe(400);
    expect(((await nowhere.json()) as Problem).invalidParams).toEqual([expect.objectContaining({ name: 'location' })]);

    // A complaint not yet acknowledged cannot wait on a work order: refused before anything is raised.
    const fresh = await ok<{ id: string }>(
      await post('/complaints', {
        propertyId: 'sh-mall',
        channel: 'phone',
        complainant: { name: '周八', contact: '13900007003', type: 'consumer' },
        description: '电梯按钮失灵',
      }),
      201,
    );
    await eventually(async () => {
      const view = await ok<{ escalationLevel: string | null }>(await call(`${url}/complaints/${fresh.id}`, key));
      return view.escalationLevel ? view : undefined;
    }, 'the lifecycle to start');
    const refused = await post(`/complaints/${fresh.id}/work-orders`, {
      location: '2号梯',
      trade: 'lifts',
      urgency: 'urgent',
      description: '按钮失灵',
      waitForIt: true,
    });
    expect(refused.status).toBe(409);
    expect(
      (await ok<{ items: WorkOrder[] }>(await call(`${url}/complaints/${fresh.id}/work-orders`, key))).items,
    ).toEqual([]);
    expect((await call(`${url}/complaints/00000000-0000-0000-0000-000000000000/work-orders`, key)).status).toBe(404);
  });

  it('counts every work order in the reports, standalone ones too, apart from the complaints', async () => {
    // At the tower, where nothing else in this file raises work orders or registers complaints.
    const body = {
      propertyId: 'sh-tower',
      trade: 'plumbing',
      urgency: 'normal',
      description: '茶水间漏水',
      channel: 'phone',
    };
    const fixed = await raise({ ...body, location: '12F 茶水间' });
    await raise({ ...body, location: '15F 卫生间' });
    await ok(await post(`/work-orders/${fixed.id}/dispatch`, { staffId: 's-sun-li' }));
    await ok(await post(`/work-orders/${fixed.id}/arrive`, {}));
    await ok(await post(`/work-orders/${fixed.id}/complete`, { workDone: '更换角阀' }));
    await ok(await post(`/work-orders/${fixed.id}/confirm`, { fixed: false, rating: 2, feedback: '仍在滴水' }));
    await ok(await post(`/work-orders/${fixed.id}/arrive`, {}));
    await ok(await post(`/work-orders/${fixed.id}/complete`, { workDone: '更换软管' }));
    await ok(await post(`/work-orders/${fixed.id}/confirm`, { rating: 4 }));

    const { timeZone } = await ok<{ timeZone: string }>(await call(`${url}/reports/figures`, key));
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })
      .format(new Date())
      .split('-')
      .map(Number);
    const half = `${year}-H${month <= 6 ? 1 : 2}`;
    const figures = await eventually(async () => {
      const report = await ok<{ figures: Record<string, number | null> }>(
        await call(`${url}/reports/half/${half}?scope=property:sh-tower`, key),
      );
      return report.figures.workOrdersConfirmed === 1 ? report.figures : undefined;
    }, 'the half-year report counting the tower’s work orders');
    expect(figures).toMatchObject({
      received: 0,
      workOrders: 2,
      workOrdersReworked: 1,
      workOrdersConfirmed: 1,
      workOrderRatingMean: 4,
      workOrderRepeatRepairs: 0,
    });
  });
});
