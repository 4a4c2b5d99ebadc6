import * as path from 'node:path';
import { eventually, startPlatform, testServers, uniqueDatabase, type RunningPlatform } from '@complaints/devstack';
import { call } from './in-process-gateway';

interface Decision {
  category: string;
  severity: string;
  department: string;
  handler: { id: string; name: string } | null;
  propertyHead: { id: string; name: string } | null;
  liability: string | null;
  reasons: string[];
}

// Classification and assignment through the whole platform, on the demo group's master data.
describe('routing: classification, assignment and overrides', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    const servers = testServers();
    platform = await startPlatform({
      infra: servers,
      dataDir: path.join(servers.dataDir, 'platform-logs-routing'),
      ports: 'free',
      dbPrefix: `${uniqueDatabase('e2e')}_`,
      log: () => undefined,
    });
    url = `${platform.gatewayUrl}/v1/complaints`;
    key = platform.apiKey;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const base = {
    propertyId: 'sh-mall',
    channel: 'phone',
    complainant: { name: '赵六', contact: '13700137000', type: 'consumer' },
    description: '投诉',
  };
  let contact = 0;
  /** Registers and waits until routing decided; a fresh contact each time unless given. */
  async function routed(body: Record<string, unknown>): Promise<{ id: string; decision: Decision }> {
    contact++;
    const response = await call(url, key, {
      body: {
        ...base,
        complainant: { ...base.complainant, contact: `1370000${String(contact).padStart(4, '0')}` },
        ...body,
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const decision = await eventually(async () => {
      const answer = await call(`${url}/${id}/routing`, key);
      return answer.status === 200 ? ((await answer.json()) as Decision) : undefined;
    }, 'the routing decision');
    return { id, decision };
  }

  it('sends a leak (Chinese) to engineering, important, with the rule that fired', async () => {
    const { decision } = await routed({ description: '二楼卫生间天花板漏水，地面湿滑' });
    expect(decision).toMatchObject({
      category: 'facilities_equipment',
      severity: 'important',
      department: 'engineering',
    });
    expect(decision.handler).toEqual({ id: 's-wang-lei', name: '王磊 Wang Lei' });
    expect(decision.reasons.join(' ')).toContain('漏水');
  });

  it('understands English keywords too', async () => {
    const { decision } = await routed({
      description: 'The lift is out of order again and water is leaking in the lobby',
    });
    expect(decision).toMatchObject({ category: 'facilities_equipment', severity: 'important' });
  });

  it('makes an injury major and gives it to the property head at once', async () => {
    const { decision } = await routed({ description: '顾客在扶梯口摔倒受伤，已送医' });
    expect(decision).toMatchObject({ severity: 'major', propertyHead: { id: 's-liu-yang', name: '刘洋 Liu Yang' } });
  });

  it('makes a government referral major', async () => {
    const { decision } = await routed({ channel: 'government_referral', description: '12345转办：商场噪音扰民' });
    expect(decision.severity).toBe('major');
  });

  it('gives customer service complaints to the on-duty member with the fewest open ones', async () => {
    const first = await routed({ description: '对会员积分规则有疑问' });
    const second = await routed({ description: '咨询营业时间' });
    const handlers = [first.decision.handler?.id, second.decision.handler?.id];
    expect(first.decision.department).toBe('customer_service');
    // Two people on duty in the mall's customer service: the second complaint goes to the other one.
    expect(new Set(handlers)).toEqual(new Set(['s-li-na', 's-zhao-min']));
  });

  it('raises a repeated complaint by the same person about the same matter', async () => {
    const same = {
      complainant: { ...base.complainant, contact: '13912345678' },
      description: '停车场收费不合理，多收费',
    };
    const firstResponse = await call(url, key, { body: { ...base, ...same } });
    const { id: firstId } = (await firstResponse.json()) as { id: string };
    const first = await eventually(async () => {
      const answer = await call(`${url}/${firstId}/routing`, key);
      return answer.status === 200 ? ((await answer.json()) as Decision) : undefined;
    }, 'the first decision');
    const againResponse = await call(url, key, { body: { ...base, ...same } });
    const { id: againId } = (await againResponse.json()) as { id: string };
    const again = await eventually(async () => {
      const answer = await call(`${url}/${againId}/routing`, key);
      return answer.status === 200 ? ((await answer.json()) as Decision) : undefined;
    }, 'the repeat decision');
    expect(first.category).toBe('price_charges');
    expect(['important', 'major']).toContain(first.severity);
    expect(again.severity).toBe('major');
  });

  it('records overrides and reassignments, with who and why, on the timeline', async () => {
    const { id } = await routed({ description: '保洁阿姨态度恶劣' });
    const override = await call(`${url}/${id}/classification`, key, {
      body: { severity: 'major', liability: 'responsible', reason: '客户已向媒体反映' },
    });
    expect(override.status).toBe(200);
    expect(await override.json()).toMatchObject({ severity: 'major', liability: 'responsible' });
    const missingReason = await call(`${url}/${id}/classification`, key, { body: { severity: 'general' } });
    expect(missingReason.status).toBe(400);

    const reassigned = await call(`${url}/${id}/assignment`, key, {
      body: { handlerId: 's-zhao-min', reason: '主管亲自跟进' },
    });
    expect(reassigned.status).toBe(200);
    expect(((await reassigned.json()) as Decision).handler?.id).toBe('s-zhao-min');
    const elsewhere = await call(`${url}/${id}/assignment`, key, { body: { handlerId: 's-huang-mei', reason: 'x' } });
    expect(elsewhere.status).toBe(400);

    const entries = await eventually(async () => {
      const answer = (await (await call(`${url}/${id}/timeline`, key)).json()) as {
        entries: { type: string; details: Record<string, unknown> }[];
      };
      return answer.entries.some((entry) => entry.type === 'reassigned') ? answer.entries : undefined;
    }, 'the override entries');
    const reclassified = entries.find((entry) => entry.type === 'reclassified');
    expect(reclassified?.details).toMatchObject({ reason: '客户已向媒体反映' });
    expect(JSON.stringify(reclassified?.details.changes)).toContain('severity');
    const view = (await (await call(`${url}/${id}`, key)).json()) as { severity: string };
    expect(view.severity).toBe('major');
  });

  it('lets an admin replace the department map', async () => {
    const current = (await (await call(`${platform.gatewayUrl}/v1/admin/routing-rules`, key)).json()) as {
      rules: Record<string, unknown>;
      departments: { default: Record<string, string> };
      isDefault: boolean;
    };
    expect(current.isDefault).toBe(true);
    const updated = await call(`${platform.gatewayUrl}/v1/admin/routing-rules`, key, {
      method: 'PUT',
      body: {
        rules: current.rules,
        departments: {
          default: { ...current.departments.default, facilities_equipment: 'operations' },
          properties: {},
        },
      },
    });
    expect(updated.status).toBe(200);
    const { decision } = await routed({ description: '电梯停运' });
    expect(decision.department).toBe('operations');
    const broken = await call(`${platform.gatewayUrl}/v1/admin/routing-rules`, key, {
      method: 'PUT',
      body: { rules: current.rules, departments: { default: { weather: 'x' } } },
    });
    expect(broken.status).toBe(400);
  });
});
