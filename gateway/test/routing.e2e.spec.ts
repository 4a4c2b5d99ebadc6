import { type RunningPlatform, eventually, startTestPlatform } from '@complaints/devstack';
import { call } from './in-process-gateway';

interface Decision {
  category: string;
  severity: string;
  department: string;
  handler: { id: string; name: string } | null;
  propertyHead: { id: string; name: string } | null;
  liability: string | null;
  reasons: string[];
  mergedInto: { id: string; number: string } | null;
}

interface View {
  number: string;
  status: string;
  lifecycle: { status: string } | null;
  firstReplyBy: string | null;
}

// Classification and assignment through the whole platform, on the demo group's master data.
describe('routing: classification, assignment and overrides', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    platform = await startTestPlatform('routing');
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

  it('makes a government referral major, keeps the referral’s own ticket and records the reply sent back', async () => {
    const referral = { agency: '12345 市民服务热线', ticketNumber: 'SH-12345-20261206-0042' };
    const { id, decision } = await routed({
      channel: 'government_referral',
      description: '12345转办：商场噪音扰民',
      referral,
    });
    expect(decision.severity).toBe('major');
    expect(await (await call(`${url}/${id}`, key)).json()).toMatchObject({ channel: 'government_referral', referral });
    // Found by the referring body's ticket number, as its callers quote it.
    const found = (await (await call(`${url}?q=${encodeURIComponent(referral.ticketNumber)}`, key)).json()) as {
      items: { id: string }[];
    };
    expect(found.items.map((item) => item.id)).toEqual([id]);

    // A ticket belongs to a referral, and comes whole.
    const phone = await call(url, key, { body: { ...base, referral } });
    expect(phone.status).toBe(400);
    expect(await phone.json()).toMatchObject({ invalidParams: [{ name: 'referral' }] });
    const half = await call(url, key, {
      body: { ...base, channel: 'government_referral', referral: { agency: '12345 市民服务热线' } },
    });
    expect(half.status).toBe(400);
    expect(await half.json()).toMatchObject({ invalidParams: [{ name: 'referral.ticketNumber' }] });

    const reply = await call(`${url}/${id}/referral-reply`, key, {
      body: { text: '已于12月6日完成整改，噪音源已关闭，已电话告知投诉人。' },
    });
    expect(reply.status).toBe(201);
    expect(await reply.json()).toMatchObject({
      type: 'referral_reply',
      details: { text: '已于12月6日完成整改，噪音源已关闭，已电话告知投诉人。' },
    });
    // A complaint nobody referred has nobody to reply to.
    const { id: plain } = await routed({ description: '商场噪音太大' });
    const nobody = await call(`${url}/${plain}/referral-reply`, key, { body: { text: '已处理' } });
    expect(nobody.status).toBe(409);
    expect(((await nobody.json()) as { detail: string }).detail).toMatch(/nobody to reply to/);
    expect(await (await call(`${url}/${plain}`, key)).json()).toMatchObject({ referral: null });
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
    // Closed before the second report: an open one would be joined as a duplicate instead.
    expect((await call(`${url}/${firstId}/withdraw`, key, { body: { reason: '已解释' } })).status).toBe(200);
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

  it('counts a report after the earlier one was closed through its lifecycle as a repeat, not a duplicate', async () => {
    const same = {
      complainant: { ...base.complainant, contact: '13912340001' },
      description: '停车场的指示牌被人挪走了',
    };
    const register = async () => {
      const response = await call(url, key, { body: { ...base, ...same } });
      const { id } = (await response.json()) as { id: string };
      const decision = await eventually(async () => {
        const answer = await call(`${url}/${id}/routing`, key);
        return answer.status === 200 ? ((await answer.json()) as Decision) : undefined;
      }, 'the decision');
      return { id, decision };
    };
    const first = await register();
    // While it is open, the same report joins it.
    const duplicate = await register();
    expect(duplicate.decision.mergedInto?.id).toBe(first.id);

    await eventually(async () => {
      const view = (await (await call(`${url}/${first.id}`, key)).json()) as View;
      return view.lifecycle ? true : undefined;
    }, 'the lifecycle to start');
    const act = (path: string, body: Record<string, unknown>) => call(`${url}/${first.id}/${path}`, key, { body });
    expect((await act('acknowledge', { staffId: 's-li-na', reply: '您好，已收到' })).status).toBe(200);
    const resolved = await act('resolve', {
      staffId: 's-li-na',
      liability: 'non_liable',
      result: '指示牌系市政施工单位临时移走，已联系对方恢复',
    });
    expect(resolved.status).toBe(200);
    expect((await act('close', { staffId: 's-li-na', note: '已向顾客说明' })).status).toBe(200);

    // Routing learns of the close from the lifecycle's event: the next report is a repeat of its own.
    const again = await eventually(async () => {
      const next = await register();
      return next.decision.mergedInto === null ? next : undefined;
    }, 'a report after the close not joined to the closed complaint');
    expect(again.decision.reasons.some((reason) => /earlier complaint/.test(reason))).toBe(true);
  });

  it('names the new handler in the lifecycle at once after a reassignment (no next step needed)', async () => {
    const { id } = await routed({ description: '服务台人员态度冷淡', categoryHint: 'service_quality' });
    const lifecycleHandler = async () =>
      (
        (await (await call(`${url}/${id}`, key)).json()) as {
          lifecycle: { handler: { id: string } | null } | null;
        }
      ).lifecycle?.handler?.id;
    const first = await eventually(lifecycleHandler, 'the lifecycle started');
    const other = first === 's-zhao-min' ? 's-li-na' : 's-zhao-min';
    const reassigned = await call(`${url}/${id}/assignment`, key, { body: { handlerId: other, reason: '换人跟进' } });
    expect(reassigned.status).toBe(200);
    // The lifecycle's record, which the API reads, follows without waiting for the next action or timer.
    await eventually(
      async () => (await lifecycleHandler()) === other || undefined,
      'the lifecycle naming the new handler',
    );
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

  it('links a repeated report by the same complainant to the open case', async () => {
    const person = {
      complainant: { ...base.complainant, contact: '13811112222' },
      description: '商铺门口的灯坏了一周没人修',
    };
    const first = (await (await call(url, key, { body: { ...base, ...person } })).json()) as {
      id: string;
      number: string;
    };
    await eventually(
      async () => ((await call(`${url}/${first.id}/routing`, key)).status === 200 ? true : undefined),
      'first routing',
    );
    const again = (await (
      await call(url, key, { body: { ...base, ...person, description: '门口的灯坏了，还是没人修' } })
    ).json()) as { id: string };
    const merged = await eventually(async () => {
      const view = (await (await call(`${url}/${again.id}`, key)).json()) as { status: string; lifecycle: unknown };
      return view.status === 'merged' ? view : undefined;
    }, 'the duplicate to be merged');
    expect(merged.lifecycle).toBeNull();
    const entries = (await (await call(`${url}/${again.id}/timeline`, key)).json()) as {
      entries: { type: string; details: Record<string, unknown> }[];
    };
    expect(entries.entries.find((entry) => entry.type === 'merged')?.details).toMatchObject({
      into: first.number,
      reason: 'duplicate',
    });

    // Staff decide it is a matter of its own after all: its lifecycle starts now.
    const out = await call(`${url}/${again.id}/unmerge`, key, { body: { reason: '是另一盏灯' } });
    expect(out.status).toBe(200);
    expect(((await out.json()) as Decision).mergedInto).toBeNull();
    const running = await eventually(async () => {
      const view = (await (await call(`${url}/${again.id}`, key)).json()) as View;
      return view.lifecycle?.status === 'assigned' ? view : undefined;
    }, 'the unmerged duplicate to get a lifecycle of its own');
    expect(running.status).toBe('assigned');
    expect(running.firstReplyBy).not.toBeNull();
  });

  it('merges and unmerges by hand: the deadlines pause and run again, each step on the timeline', async () => {
    const started = async (description: string, category: string) => {
      const { id } = await routed({ description, categoryHint: category });
      const view = await eventually(async () => {
        const body = (await (await call(`${url}/${id}`, key)).json()) as View;
        return body.lifecycle ? body : undefined;
      }, 'the lifecycle to start');
      return { id, number: view.number };
    };
    const main = await started('中庭的背景音乐太吵', 'environment_public_area');
    const other = await started('商场广播音量过大', 'service_quality');
    const third = await started('儿童乐园的地垫破损', 'facilities_equipment');

    const merge = (id: string, body: Record<string, unknown>) => call(`${url}/${id}/merge`, key, { body });
    expect((await merge(other.id, { into: other.id, reason: 'x' })).status).toBe(409);
    expect((await merge(other.id, { into: main.id })).status).toBe(400);
    expect((await merge(other.id, { into: 'no-such-complaint', reason: 'x' })).status).toBe(404);
    const elsewhere = await routed({ propertyId: 'gz-estate', description: '小区门禁卡失灵' });
    expect((await merge(other.id, { into: elsewhere.id, reason: 'x' })).status).toBe(409);

    const merged = await merge(other.id, { into: main.id, reason: '同一噪音问题' });
    expect(merged.status).toBe(200);
    expect(((await merged.json()) as Decision).mergedInto).toEqual({ id: main.id, number: main.number });
    // A retried request changes nothing; merging into a complaint handled elsewhere is refused.
    expect((await merge(other.id, { into: main.id, reason: '同一噪音问题' })).status).toBe(200);
    expect((await merge(third.id, { into: other.id, reason: 'x' })).status).toBe(409);
    expect((await merge(other.id, { into: third.id, reason: 'x' })).status).toBe(409);

    const paused = await eventually(async () => {
      const view = (await (await call(`${url}/${other.id}`, key)).json()) as View;
      return view.status === 'merged' && view.lifecycle?.status === 'merged' ? view : undefined;
    }, 'the merged complaint to pause');
    expect(paused.firstReplyBy).toBeNull();

    const unmerged = await call(`${url}/${other.id}/unmerge`, key, { body: { reason: '不是同一事项' } });
    expect(unmerged.status).toBe(200);
    expect((await call(`${url}/${other.id}/unmerge`, key, { body: { reason: 'again' } })).status).toBe(409);
    const back = await eventually(async () => {
      const view = (await (await call(`${url}/${other.id}`, key)).json()) as View;
      return view.lifecycle?.status === 'assigned' && view.firstReplyBy ? view : undefined;
    }, 'the clocks to run again');
    expect(back.status).toBe('assigned');

    const timeline = await eventually(async () => {
      const answer = (await (await call(`${url}/${other.id}/timeline`, key)).json()) as {
        entries: { type: string; actor: { kind: string }; details: Record<string, unknown> }[];
      };
      return answer.entries.some((entry) => entry.type === 'unmerged') ? answer.entries : undefined;
    }, 'the unmerge on the timeline');
    expect(timeline.filter((entry) => entry.type === 'merged').map((entry) => entry.details)).toEqual([
      { into: main.number, intoComplaintId: main.id, reason: 'manual', note: '同一噪音问题' },
    ]);
    expect(timeline.find((entry) => entry.type === 'unmerged')).toMatchObject({
      actor: { kind: 'partner' },
      details: { from: main.number, reason: '不是同一事项' },
    });
  });

  it('forms a collective complaint at five distinct complainants, not at four', async () => {
    const matter = {
      propertyId: 'gz-estate',
      location: '3号楼地下车库',
      description: '3号楼地下车库大面积积水，车辆无法进出',
    };
    const ids: string[] = [];
    const report = async (n: number) => {
      const response = await call(url, key, {
        body: {
          ...base,
          ...matter,
          complainant: { name: `业主${n}`, contact: `1350000${String(n).padStart(4, '0')}`, type: 'owner' },
        },
      });
      const { id } = (await response.json()) as { id: string };
      ids.push(id);
      await eventually(
        async () => ((await call(`${url}/${id}/routing`, key)).status === 200 ? true : undefined),
        `routing of report ${n}`,
      );
    };
    for (let n = 1; n <= 4; n++) await report(n);
    for (const id of ids) {
      expect(((await (await call(`${url}/${id}`, key)).json()) as { status: string }).status).not.toBe('merged');
    }
    await report(5);
    const views = await eventually(async () => {
      const all = await Promise.all(
        ids.map(async (id) => (await (await call(`${url}/${id}`, key)).json()) as { status: string }),
      );
      return all.every((view) => view.status === 'merged') ? all : undefined;
    }, 'all five members to join the collective complaint');
    expect(views).toHaveLength(5);
    const timeline = (await (await call(`${url}/${ids[0]}/timeline`, key)).json()) as {
      entries: { type: string; details: { intoComplaintId?: string; reason?: string } }[];
    };
    const link = timeline.entries.find((entry) => entry.type === 'merged');
    expect(link?.details.reason).toBe('collective');
    const parentId = link?.details.intoComplaintId as string;
    const parent = await eventually(async () => {
      const decision = await call(`${url}/${parentId}/routing`, key);
      return decision.status === 200 ? ((await decision.json()) as Decision) : undefined;
    }, 'the parent case to be routed');
    expect(parent.severity).toBe('major');
    const parentView = (await (await call(`${url}/${parentId}`, key)).json()) as {
      coComplainantCount: number;
      channel: string;
    };
    expect(parentView).toMatchObject({ channel: 'internal', coComplainantCount: 4 });

    // A sixth complainant joins the open parent.
    await report(6);
    await eventually(async () => {
      const view = (await (await call(`${url}/${ids[5]}`, key)).json()) as { status: string };
      return view.status === 'merged' ? true : undefined;
    }, 'the sixth member to join');
  });
});
