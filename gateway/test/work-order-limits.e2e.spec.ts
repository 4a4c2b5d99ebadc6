import { type RunningPlatform, startTestPlatform } from '@complaints/devstack';
import { call } from './in-process-gateway';

interface Limit {
  duration: string;
  basis: 'calendar' | 'working';
}
type UrgencyLimits = { arrive: Limit; complete: Limit };

interface PolicyView {
  policy: Record<string, unknown> | null;
  effective: { workOrders: Record<'emergency' | 'urgent' | 'normal', UrgencyLimits> };
}

interface WorkOrder {
  id: string;
  raisedAt: string;
  arriveBy: string;
  completeBy: string;
}

interface Problem {
  status: number;
  type: string;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

const MINUTE = 60_000;
const onTheClock = (arrive: string, complete: string): UrgencyLimits => ({
  arrive: { duration: arrive, basis: 'calendar' },
  complete: { duration: complete, basis: 'calendar' },
});

// A group's own work-order limits (报修 响应时限) in its deadline policy, through the gateway on
// the whole platform: escalation reads them when a work order is raised.
describe('work-order limits in the deadline policy', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    platform = await startTestPlatform('work-order-limits');
    url = `${platform.gatewayUrl}/v1`;
    key = platform.apiKey;
  }, 180_000);
  afterAll(async () => {
    await platform?.stop();
  });

  async function ok<T>(response: Response, status = 200): Promise<T> {
    const text = await response.text();
    if (response.status !== status) throw new Error(`${response.url}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
  const put = (path: string, body: unknown) => call(`${url}${path}`, key, { method: 'PUT', body });
  const raise = async (propertyId: string, location: string) =>
    ok<WorkOrder>(
      await call(`${url}/work-orders`, key, {
        body: { propertyId, location, trade: 'plumbing', urgency: 'emergency', description: '水管爆裂' },
      }),
      201,
    );
  const minutesTo = (order: WorkOrder) => ({
    arrive: (Date.parse(order.arriveBy) - Date.parse(order.raisedAt)) / MINUTE,
    complete: (Date.parse(order.completeBy) - Date.parse(order.raisedAt)) / MINUTE,
  });

  it('starts from the shipped limits and lets the group, then a property, set their own for new work orders', async () => {
    const shipped = await ok<PolicyView>(await call(`${url}/policies`, key));
    expect(shipped.effective.workOrders).toEqual({
      emergency: onTheClock('PT30M', 'PT4H'),
      urgent: { arrive: { duration: 'PT2H', basis: 'working' }, complete: { duration: 'P1D', basis: 'working' } },
      normal: { arrive: { duration: 'P1D', basis: 'working' }, complete: { duration: 'P3D', basis: 'working' } },
    });
    expect(minutesTo(await raise('sh-mall', 'B1 水泵房'))).toEqual({ arrive: 30, complete: 240 });

    // The group's own: a fitter within 15 minutes, done within 2 hours.
    const group = await ok<PolicyView>(
      await put('/policies', { ...shipped.policy, workOrders: { emergency: onTheClock('PT15M', 'PT2H') } }),
    );
    expect(group.policy).toMatchObject({ workOrders: { emergency: onTheClock('PT15M', 'PT2H') } });
    expect(group.effective.workOrders.emergency).toEqual(onTheClock('PT15M', 'PT2H'));
    // Urgencies it leaves out keep the shipped limits.
    expect(group.effective.workOrders.urgent).toEqual(shipped.effective.workOrders.urgent);
    const underGroup = await raise('sh-mall', 'B2 水泵房');
    expect(minutesTo(underGroup)).toEqual({ arrive: 15, complete: 120 });

    // A property sets its own over the group's; the group's other properties keep the group's.
    await ok(await put('/policies/properties/sh-tower', { workOrders: { emergency: onTheClock('PT10M', 'PT1H') } }));
    expect(minutesTo(await raise('sh-tower', '28F 茶水间'))).toEqual({ arrive: 10, complete: 60 });
    expect(minutesTo(await raise('sh-mall', 'L1 卫生间'))).toEqual({ arrive: 15, complete: 120 });
    // Audited as every policy change is: the property's policy before and after.
    const audit = await ok<{ items: { before: unknown; after: unknown }[] }>(
      await call(`${url}/admin/audit?subject=policy&target=sh-tower`, key),
    );
    expect(audit.items[0]).toMatchObject({
      before: { policy: null },
      after: { policy: { workOrders: { emergency: onTheClock('PT10M', 'PT1H') } } },
    });

    // A later change moves no raised work order: it keeps the times it was raised with.
    await ok(await put('/policies', { ...shipped.policy, workOrders: { emergency: onTheClock('PT45M', 'PT6H') } }));
    const kept = await ok<WorkOrder>(await call(`${url}/work-orders/${underGroup.id}`, key));
    expect(kept).toMatchObject({ arriveBy: underGroup.arriveBy, completeBy: underGroup.completeBy });
    expect(minutesTo(await raise('sh-mall', 'L2 卫生间'))).toEqual({ arrive: 45, complete: 360 });
  });

  it('refuses a bad limit with the field named and keeps the policy as it was', async () => {
    const before = await ok<PolicyView>(await call(`${url}/policies`, key));
    const refused = await put('/policies', {
      workOrders: {
        emergency: onTheClock('PT5H', 'PT4H'),
        urgent: { arrive: { duration: 'PT2H', basis: 'working' }, complete: { duration: 'PT0S', basis: 'working' } },
        normal: { arrive: { duration: 'P1D', basis: 'someday' }, complete: { duration: 'P3D', basis: 'working' } },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await refused.json()) as Problem;
    const reasons = Object.fromEntries((problem.invalidParams ?? []).map(({ name, reason }) => [name, reason]));
    expect(reasons['workOrders.emergency.arrive']).toMatch(
      /^arrive \(PT5H calendar\) is longer than complete \(PT4H calendar\)/,
    );
    expect(reasons['workOrders.urgent.complete.duration']).toMatch(/zero/);
    expect(reasons['workOrders.normal.arrive.basis']).toBeDefined();
    expect(await ok<PolicyView>(await call(`${url}/policies`, key))).toEqual(before);
  });
});
