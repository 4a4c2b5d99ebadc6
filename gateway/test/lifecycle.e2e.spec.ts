import {
  FORGET_TIMEOUT_MS,
  type RunningPlatform,
  eventually,
  forgetWorkflow,
  startTestPlatform,
} from '@complaints/devstack';
import { surveyLinkSecretFromEnv, surveyToken } from '@complaints/service-kit';
import { call } from './in-process-gateway';

interface ComplaintView {
  status: string;
  severity: string | null;
  escalationLevel: string | null;
  owner: { id: string } | null;
  handler: { id: string } | null;
  firstReplyBy: string | null;
  resolveBy: string | null;
  callbackBy: string | null;
  breaches: { deadline: string; levelReached: string }[];
  reopenRound: number;
}

interface Problem {
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

// The lifecycle through the gateway on the whole platform (real Temporal dev server, NATS,
// FerretDB), with the demo group's staff; a PT5S policy makes a real breach happen.
describe('lifecycle through the gateway', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    platform = await startTestPlatform('lifecycle');
    url = `${platform.gatewayUrl}/v1`;
    key = platform.apiKey;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const registration = (propertyId: string, contact: string, description = '停车场的指示牌不够清楚') => ({
    propertyId,
    channel: 'phone',
    complainant: { name: '钱七', contact, type: 'consumer' },
    description,
  });

  async function registered(
    propertyId: string,
    contact: string,
    description?: string,
  ): Promise<{ id: string; view: ComplaintView }> {
    const response = await call(`${url}/complaints`, key, { body: registration(propertyId, contact, description) });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const view = await eventually(async () => {
      const body = (await (await call(`${url}/complaints/${id}`, key)).json()) as ComplaintView;
      return body.escalationLevel ? body : undefined;
    }, 'the lifecycle to start');
    return { id, view };
  }

  const act = (id: string, path: string, body: Record<string, unknown>) =>
    call(`${url}/complaints/${id}/${path}`, key, { body });

  it('breaches a PT5S first reply for real and escalates one level, on the timeline', async () => {
    const general = {
      firstReply: { duration: 'PT5S', basis: 'calendar' },
      resolution: { duration: 'P2D', basis: 'calendar' },
      callback: { duration: 'P3D', basis: 'calendar' },
      approver: 'manager',
      reminderAt: 0.8,
      progressUpdateEvery: null,
      autoUpgradeAfter: { duration: 'P30D', basis: 'calendar' },
      startLevel: 'frontline',
      notifyOnReceipt: [],
    };
    const put = await call(`${url}/policies/properties/sh-tower`, key, {
      method: 'PUT',
      body: { severities: { general } },
    });
    expect(put.status).toBe(200);
    const stored = (await put.json()) as { effective: { severities: { general: { firstReply: unknown } } } };
    expect(stored.effective.severities.general.firstReply).toEqual({ duration: 'PT5S', basis: 'calendar' });

    const { id, view } = await registered('sh-tower', '13900000001');
    expect(view).toMatchObject({ status: 'assigned', severity: 'general', escalationLevel: 'frontline' });
    const breached = await eventually(async () => {
      const body = (await (await call(`${url}/complaints/${id}`, key)).json()) as ComplaintView;
      return body.breaches.length > 0 ? body : undefined;
    }, 'the first-reply breach');
    expect(breached.escalationLevel).toBe('supervisor');
    expect(breached.breaches[0]).toMatchObject({ deadline: 'firstReplyBy', levelReached: 'supervisor' });

    const timeline = await eventually(async () => {
      const body = (await (await call(`${url}/complaints/${id}/timeline`, key)).json()) as {
        entries: { type: string; details: Record<string, unknown> }[];
      };
      return body.entries.some((entry) => entry.type === 'escalated') ? body.entries : undefined;
    }, 'the breach on the timeline');
    expect(timeline.map((entry) => entry.type)).toEqual(
      expect.arrayContaining(['registered', 'routed', 'start', 'deadline_breached', 'escalated']),
    );
    expect(timeline.find((entry) => entry.type === 'escalated')?.details).toMatchObject({
      from: 'frontline',
      to: 'supervisor',
      cause: 'breach:firstReplyBy',
    });
  });

  it(
    'takes a general complaint from first reply to closed, checking who acts',
    async () => {
      const { id, view } = await registered('sh-mall', '13900000002');
      expect(view.owner).not.toBeNull();
      expect(Date.parse(view.firstReplyBy!)).toBeGreaterThan(Date.now());

      const unknown = await act(id, 'acknowledge', { staffId: 's-nobody', reply: '您好' });
      expect(unknown.status).toBe(400);
      const elsewhere = await act(id, 'acknowledge', { staffId: 's-sun-li', reply: '您好' });
      expect(elsewhere.status).toBe(403);
      const invalid = await act(id, 'acknowledge', { staffId: 's-li-na' });
      expect(invalid.status).toBe(400);
      expect(((await invalid.json()) as Problem).invalidParams?.map((param) => param.name)).toContain('reply');

      const acknowledged = await act(id, 'acknowledge', { staffId: 's-li-na', reply: '您好，已收到，今天内处理' });
      expect(acknowledged.status).toBe(200);
      expect(await acknowledged.json()).toMatchObject({ status: 'acknowledged', firstReplyBy: null });
      const progress = await act(id, 'progress', { staffId: 's-li-na', message: '已联系厂家，明天上午更换指示牌' });
      expect(progress.status).toBe(200);
      expect(await progress.json()).toMatchObject({ status: 'acknowledged' });
      const again = await act(id, 'acknowledge', { staffId: 's-li-na', reply: '再次' });
      expect(again.status).toBe(409);
      expect(((await again.json()) as Problem).detail).toMatch(/cannot acknowledge a complaint that is acknowledged/);

      const current = (await (await call(`${url}/complaints/${id}`, key)).json()) as ComplaintView;
      const until = new Date(Date.parse(current.resolveBy!) + 86_400_000).toISOString();
      expect((await act(id, 'extensions', { staffId: 's-li-na', until, reason: '等配件' })).status).toBe(200);
      // A general complaint's extension is approved by a manager: a frontline colleague may not.
      const tooLow = await act(id, 'extensions/1/approve', { staffId: 's-zhao-min' });
      expect(tooLow.status).toBe(403);
      expect(((await tooLow.json()) as Problem).detail).toMatch(/needs manager or above/);
      const approved = await act(id, 'extensions/1/approve', { staffId: 's-chen-jie' });
      expect(approved.status).toBe(200);
      expect(((await approved.json()) as ComplaintView).resolveBy).toBe(until);

      expect((await act(id, 'investigation', { staffId: 's-li-na' })).status).toBe(200);
      const resolved = await act(id, 'resolve', {
        staffId: 's-li-na',
        liability: 'responsible',
        result: '已向顾客致歉并培训前台',
      });
      expect(resolved.status).toBe(200);
      expect(((await resolved.json()) as ComplaintView).callbackBy).not.toBeNull();
      expect(
        (
          await act(id, 'callbacks', {
            staffId: 's-zhao-min',
            outcome: 'completed',
            method: 'phone',
            personReached: '钱先生',
            satisfaction: 'satisfied',
          })
        ).status,
      ).toBe(200);
      const closed = await act(id, 'close', { staffId: 's-zhao-min' });
      expect(closed.status).toBe(200);
      expect(await closed.json()).toMatchObject({ status: 'closed' });

      // Intake's record follows the lifecycle's events.
      await eventually(async () => {
        const list = (await (await call(`${url}/complaints?status=closed`, key)).json()) as { items: { id: string }[] };
        return list.items.some((item) => item.id === id) ? true : undefined;
      }, 'the closed status in the complaint list');
      const late = await act(id, 'reopen', { staffId: 's-zhao-min', reason: '不满意' });
      expect(late.status).toBe(409);

      // Temporal's retention ends and the workflow's history goes: the complaint answers as it did.
      const asClosed = await (await call(`${url}/complaints/${id}`, key)).json();
      await forgetWorkflow(`complaint-${id}`);
      expect(await (await call(`${url}/complaints/${id}`, key)).json()).toEqual(asClosed);
      expect(asClosed).toMatchObject({ status: 'closed', callbackBy: null });
      const afterRetention = await act(id, 'reopen', { staffId: 's-zhao-min', reason: '不满意' });
      expect(afterRetention.status).toBe(409);
      expect(((await afterRetention.json()) as Problem).detail).toMatch(/closed/);
    },
    FORGET_TIMEOUT_MS + 60_000,
  );

  it('ends the resolution deadline at the complainant’s requested date, and keeps when the incident happened', async () => {
    const receivedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const requestedBy = new Date(receivedAt.getTime() + 86_400_000).toISOString();
    const incidentAt = new Date(receivedAt.getTime() - 2 * 3_600_000).toISOString();
    const body = {
      ...registration('sh-mall', '13900000019'),
      receivedAt: receivedAt.toISOString(),
      requestedBy,
      incidentAt,
    };
    const response = await call(`${url}/complaints`, key, { body });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const view = await eventually(async () => {
      const read = (await (await call(`${url}/complaints/${id}`, key)).json()) as ComplaintView & {
        requestedBy: string | null;
        incidentAt: string | null;
      };
      return read.resolveBy ? read : undefined;
    }, 'the lifecycle to start');
    expect(view).toMatchObject({ requestedBy, incidentAt, resolveBy: requestedBy });

    const refused = async (fields: Record<string, string>) => {
      const answer = await call(`${url}/complaints`, key, {
        body: { ...registration('sh-mall', '13900000019'), receivedAt: receivedAt.toISOString(), ...fields },
      });
      expect(answer.status).toBe(400);
      return ((await answer.json()) as Problem).invalidParams?.map((param) => param.name);
    };
    expect(await refused({ requestedBy: receivedAt.toISOString() })).toEqual(['requestedBy']);
    expect(await refused({ incidentAt: new Date(receivedAt.getTime() + 86_400_000).toISOString() })).toEqual([
      'incidentAt',
    ]);
    expect(await refused({ requestedBy: '明天' })).toEqual(['requestedBy']);
  });

  it('acts for staff only as far as its key was given, and records the key with the staff member', async () => {
    const made = await call(`${url}/admin/api-keys`, key, {
      body: {
        name: '400 热线',
        actsFor: { propertyIds: ['sh-mall'], maxRoleLevel: 'supervisor', mayApprove: false, mayClose: false },
      },
    });
    expect(made.status).toBe(201);
    const hotline = (await made.json()) as { id: string; secret: string; actsFor: unknown };
    expect(hotline.actsFor).toEqual({
      propertyIds: ['sh-mall'],
      maxRoleLevel: 'supervisor',
      mayApprove: false,
      mayClose: false,
    });
    const plain = (await (await call(`${url}/admin/api-keys`, key, { body: { name: 'reader' } })).json()) as {
      secret: string;
    };
    const { id } = await registered('sh-mall', '13900000009');
    const through = (apiKey: string, path: string, body: Record<string, unknown>) =>
      call(`${url}/complaints/${id}/${path}`, apiKey, { body });
    const problem = async (response: Response) => {
      expect(response.status).toBe(403);
      return ((await response.json()) as Problem).detail;
    };

    expect(await problem(await through(plain.secret, 'acknowledge', { staffId: 's-li-na', reply: '您好' }))).toMatch(
      /acts for no staff/,
    );
    expect(await problem(await through(hotline.secret, 'acknowledge', { staffId: 's-chen-jie', reply: '您好' }))).toBe(
      'this API key acts for staff up to supervisor; 陈杰 Chen Jie is manager',
    );
    const acknowledged = await through(hotline.secret, 'acknowledge', { staffId: 's-li-na', reply: '您好，已收到' });
    expect(acknowledged.status).toBe(200);
    const current = (await (await call(`${url}/complaints/${id}`, key)).json()) as ComplaintView;
    const until = new Date(Date.parse(current.resolveBy!) + 86_400_000).toISOString();
    expect((await through(hotline.secret, 'extensions', { staffId: 's-li-na', until, reason: '等配件' })).status).toBe(
      200,
    );
    expect(await problem(await through(hotline.secret, 'extensions/1/approve', { staffId: 's-zhao-min' }))).toBe(
      'this API key may not approve or reject',
    );
    // A key it makes gets no more than it has (it is no admin, so it makes none at all).
    expect((await call(`${url}/admin/api-keys`, hotline.secret, { body: { name: 'x' } })).status).toBe(403);

    const entry = await eventually(async () => {
      const { entries } = (await (await call(`${url}/complaints/${id}/timeline`, key)).json()) as {
        entries: { type: string; actor: { name: string; via: unknown } }[];
      };
      return entries.find((candidate) => candidate.type === 'acknowledge');
    }, 'the acknowledgement on the timeline');
    expect(entry.actor).toMatchObject({ name: '李娜 Li Na', via: { keyId: hotline.id, name: '400 热线' } });
  });

  it('keeps policies and calendars, refusing invalid ones with the field named', async () => {
    const group = (await (await call(`${url}/policies`, key)).json()) as {
      policy: unknown;
      effective: { severities: Record<string, { firstReply: { duration: string } }> };
    };
    expect(group.effective.severities.important.firstReply.duration).toBe('PT3H');
    const bad = await call(`${url}/policies/regions/east`, key, {
      method: 'PUT',
      body: { severities: { major: { firstReply: { duration: 'P1M', basis: 'calendar' } } } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Problem).invalidParams?.map((param) => param.name)).toEqual(
      expect.arrayContaining(['severities.major.firstReply.duration']),
    );

    const calendar = (await (await call(`${url}/calendars/east`, key)).json()) as {
      calendar: { holidays: string[]; makeUpWorkingDays: string[] };
      isDefault: boolean;
    };
    expect(calendar.isDefault).toBe(true);
    expect(calendar.calendar.makeUpWorkingDays).toContain('2026-10-10');
    const invalidCalendar = await call(`${url}/calendars/east`, key, {
      method: 'PUT',
      body: { ...calendar.calendar, businessHours: { start: '18:00', end: '09:00' } },
    });
    expect(invalidCalendar.status).toBe(400);
    // Named at the field, so the console's calendar form shows it there.
    expect(((await invalidCalendar.json()) as Problem).invalidParams).toEqual([
      { name: 'businessHours.end', reason: 'businessHours.start "18:00" must be before businessHours.end "09:00".' },
    ]);
    const own = await call(`${url}/calendars/east`, key, {
      method: 'PUT',
      body: {
        ...calendar.calendar,
        holidays: [...calendar.calendar.holidays, '2026-12-24'],
      },
    });
    expect(own.status).toBe(200);
    expect(await (await call(`${url}/calendars/east`, key)).json()).toMatchObject({ isDefault: false });
  });

  it('counts working time on a region’s own calendar, whatever years it holds: the days it adds are skipped', async () => {
    // The shipped calendar stops at 2026; a region's own may hold any year (imported from an
    // iCalendar file in the console). The days taken off here are the coming working days, so the
    // test means the same in any year it runs.
    const shanghaiDate = (instant: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(instant));
    const { calendar: shipped } = (await (await call(`${url}/calendars/south`, key)).json()) as {
      calendar: { holidays: string[]; makeUpWorkingDays: string[] };
    };
    const worked = (date: string) =>
      shipped.makeUpWorkingDays.includes(date) ||
      (!shipped.holidays.includes(date) && [1, 2, 3, 4, 5].includes(new Date(`${date}T12:00:00Z`).getUTCDay()));
    const days: string[] = [];
    for (let at = Date.now(); days.length < 4; at += 86_400_000) {
      const date = shanghaiDate(at);
      if (worked(date)) days.push(date);
    }
    const [first, second, third, after] = days as [string, string, string, string];

    const { effective } = (await (await call(`${url}/policies/properties/gz-estate`, key)).json()) as {
      effective: { severities: Record<string, Record<string, unknown>> };
    };
    const oneWorkingDay = Object.fromEntries(
      Object.entries(effective.severities).map(([severity, policy]) => [
        severity,
        { ...policy, resolution: { duration: 'P1D', basis: 'working' } },
      ]),
    );
    expect(
      (await call(`${url}/policies/properties/gz-estate`, key, { method: 'PUT', body: { severities: oneWorkingDay } }))
        .status,
    ).toBe(200);
    const before = (await registered('gz-estate', '13900000031')).view;
    // One business day from now ends on one of the next two working days.
    expect([first, second]).toContain(shanghaiDate(Date.parse(before.resolveBy!)));

    const ownCalendar = await call(`${url}/calendars/south`, key, {
      method: 'PUT',
      body: {
        ...shipped,
        holidays: [...shipped.holidays, first, second, third, '2027-02-17'],
        makeUpWorkingDays: [
          ...shipped.makeUpWorkingDays.filter((day) => ![first, second, third].includes(day)),
          '2027-02-07',
        ],
      },
    });
    expect(ownCalendar.status).toBe(200);
    const read = (await (await call(`${url}/calendars/south`, key)).json()) as {
      calendar: { holidays: string[]; makeUpWorkingDays: string[] };
    };
    expect(read.calendar.holidays).toContain('2027-02-17');
    expect(read.calendar.makeUpWorkingDays).toContain('2027-02-07');

    const after3 = (await registered('gz-estate', '13900000032', '停车场的照明不够亮')).view;
    // The three days off are skipped whole: the business day is the next working one, 09:00–18:00.
    expect(shanghaiDate(Date.parse(after3.resolveBy!))).toBe(after);
    expect(new Date(after3.resolveBy!).toISOString()).toBe(new Date(`${after}T18:00:00+08:00`).toISOString());
  });

  it('waits on an outside body when assisting (协助处理): named, the deadlines paused, on the timeline and in the complainant’s view', async () => {
    const { id } = await registered('sh-mall', '13900005678', '洗手间没有水，水龙头打不开');
    expect((await act(id, 'acknowledge', { staffId: 's-li-na', reply: '您好，已收到' })).status).toBe(200);
    const unnamed = await act(id, 'await-outside-body', { staffId: 's-li-na', reason: '市政停水' });
    expect(unnamed.status).toBe(400);
    expect(await unnamed.json()).toMatchObject({ invalidParams: [{ name: 'body' }] });
    const waiting = await act(id, 'await-outside-body', {
      staffId: 's-li-na',
      body: '自来水公司',
      reason: '市政管网检修，周五恢复供水',
    });
    expect(waiting.status).toBe(200);
    const paused = (await waiting.json()) as ComplaintView & { waitingOn: { body: string; since: string } | null };
    expect(paused).toMatchObject({
      status: 'awaiting_outside_body',
      resolveBy: null,
      waitingOn: { body: '自来水公司' },
    });

    const { number } = (await (await call(`${url}/complaints/${id}`, key)).json()) as { number: string };
    const seen = await call(`${url}/complainant-view`, undefined, { body: { number, contactLastFour: '5678' } });
    expect(await seen.json()).toMatchObject({ status: 'awaiting_outside_body', waitingOn: '自来水公司' });

    const resumed = await act(id, 'resume', { staffId: 's-li-na', note: '已恢复供水' });
    expect(await resumed.json()).toMatchObject({ status: 'acknowledged', waitingOn: null });
    expect(((await (await call(`${url}/complaints/${id}`, key)).json()) as ComplaintView).resolveBy).not.toBeNull();
    const entry = await eventually(async () => {
      const { entries } = (await (await call(`${url}/complaints/${id}/timeline`, key)).json()) as {
        entries: { type: string; details: Record<string, unknown> }[];
      };
      return entries.find((candidate) => candidate.type === 'await_outside_body');
    }, 'the wait on the timeline');
    expect(entry.details).toMatchObject({ body: '自来水公司', reason: '市政管网检修，周五恢复供水' });
  });

  describe('the callback (SPEC §5 回访)', () => {
    // Each its own matter: routing would merge a second open one of the same into the first.
    async function resolvedAtMall(contact: string, description: string): Promise<{ id: string; number: string }> {
      const { id } = await registered('sh-mall', contact, description);
      expect((await act(id, 'acknowledge', { staffId: 's-li-na', reply: '您好，已收到' })).status).toBe(200);
      const resolved = await act(id, 'resolve', {
        staffId: 's-li-na',
        liability: 'responsible',
        result: '已更换指示牌',
      });
      expect(resolved.status).toBe(200);
      const { number } = (await (await call(`${url}/complaints/${id}`, key)).json()) as { number: string };
      return { id, number };
    }

    it('retries by the property’s policy and closes as unreachable once every attempt failed, the attempts on the timeline', async () => {
      const current = (await (await call(`${url}/policies/properties/sh-mall`, key)).json()) as {
        effective: { severities: { general: Record<string, unknown> } };
      };
      const general = {
        ...current.effective.severities.general,
        callbackAttempts: 2,
        callbackRetryAfter: { duration: 'PT1H', basis: 'calendar' },
      };
      const put = await call(`${url}/policies/properties/sh-mall`, key, {
        method: 'PUT',
        body: { severities: { general } },
      });
      expect(put.status).toBe(200);

      const { id } = await resolvedAtMall('13900000011', '收银台排队太久没人管');
      const attempt = { staffId: 's-zhao-min', outcome: 'attempt', method: 'phone', reason: '无人接听' };
      const first = await act(id, 'callbacks', attempt);
      expect(first.status).toBe(200);
      const plan = ((await first.json()) as { callbackPlan: { nextAttemptAt: string } }).callbackPlan;
      expect(plan).toMatchObject({ attemptsMade: 1, attemptsAllowed: 2, caller: { id: 's-zhao-min' } });
      expect(Math.abs(Date.parse(plan.nextAttemptAt) - (Date.now() + 3_600_000))).toBeLessThan(120_000);

      const early = await act(id, 'close', { staffId: 's-zhao-min', unreachable: true });
      expect(early.status).toBe(409);
      expect(((await early.json()) as Problem).detail).toMatch(/needs 2 failed callback attempts: 1 made so far/);
      const second = await act(id, 'callbacks', { ...attempt, method: 'visit', reason: '上门无人' });
      expect(await second.json()).toMatchObject({ callbackPlan: { attemptsMade: 2, nextAttemptAt: null } });
      const closed = await act(id, 'close', { staffId: 's-zhao-min', unreachable: true });
      expect(closed.status).toBe(200);
      expect(await closed.json()).toMatchObject({ status: 'closed' });

      const entry = await eventually(async () => {
        const { entries } = (await (await call(`${url}/complaints/${id}/timeline`, key)).json()) as {
          entries: { type: string; details: Record<string, unknown> }[];
        };
        return entries.find((candidate) => candidate.type === 'close');
      }, 'the close on the timeline');
      expect(entry.details).toMatchObject({
        unreachable: true,
        attempts: [
          { method: 'phone', reason: '无人接听', by: { id: 's-zhao-min' } },
          { method: 'visit', reason: '上门无人', by: { id: 's-zhao-min' } },
        ],
      });
    });

    it('takes the complainant’s answer through the latest survey link, once, without a key', async () => {
      const { id, number } = await resolvedAtMall('13900000012', '洗手间的烘手机坏了一个月');
      expect((await act(id, 'survey', { staffId: 's-li-na' })).status).toBe(403);
      const first = await act(id, 'survey', { staffId: 's-zhao-min' });
      expect(await first.json()).toMatchObject({
        survey: { number: 1, sentBy: { id: 's-zhao-min' }, answeredAt: null },
      });
      expect(await (await act(id, 'survey', { staffId: 's-zhao-min' })).json()).toMatchObject({
        survey: { number: 2 },
      });

      const link = (survey: number) =>
        `${url}/surveys/${surveyToken(surveyLinkSecretFromEnv({}), { groupId: 'demo-group', complaintId: id, survey })}`;
      const read = await call(link(2), undefined);
      const text = await read.text();
      expect(read.status).toBe(200);
      expect(JSON.parse(text)).toEqual({ number, survey: 2, answered: false });
      expect(text).not.toMatch(/钱七|13900000012/);

      const forged = `${link(2).slice(0, -3)}AAA`;
      expect((await call(forged, undefined)).status).toBe(404);
      const earlier = await call(link(1), undefined, { body: { satisfaction: 'satisfied' } });
      expect(earlier.status).toBe(409);
      expect(((await earlier.json()) as Problem).detail).toMatch(/newer survey was sent/);
      const invalid = await call(link(2), undefined, { body: { satisfaction: 'great' } });
      expect(invalid.status).toBe(400);

      const answered = await call(link(2), undefined, {
        body: { satisfaction: 'dissatisfied', comments: '指示牌还是太小' },
      });
      expect(answered.status).toBe(200);
      expect(await answered.json()).toEqual({ number, survey: 2, answered: true });
      const again = await call(link(2), undefined, { body: { satisfaction: 'satisfied' } });
      expect(again.status).toBe(409);
      expect(((await again.json()) as Problem).detail).toMatch(/already answered/);

      // Recorded as the callback: callbackBy met, and dissatisfied reopens as a phone callback would.
      const view = (await (await call(`${url}/complaints/${id}`, key)).json()) as ComplaintView;
      expect(view).toMatchObject({ status: 'callback_done', callbackBy: null });
      const reopened = await act(id, 'reopen', { staffId: 's-zhao-min', reason: '投诉人不满意' });
      expect(await reopened.json()).toMatchObject({ status: 'investigating', reopenRound: 2 });
      const recorded = (await (await call(`${url}/complaints/${id}/timeline`, key)).json()) as {
        entries: { type: string; actor: { kind: string }; details: Record<string, unknown> }[];
      };
      expect(recorded.entries.find((entry) => entry.type === 'answer_survey')).toMatchObject({
        actor: { kind: 'system' },
        details: { survey: 2, satisfaction: 'dissatisfied', method: 'message' },
      });
      expect(recorded.entries.filter((entry) => entry.type === 'send_survey')).toHaveLength(2);
    });

    it('shows the complainant their complaint by its number and the last four digits, with the times, the result and the survey', async () => {
      const view = `${url}/complainant-view`;
      const { id, view: before } = await registered('sh-mall', '13900004321', '洗手间的洗手液没有了');
      const { number } = (await (await call(`${url}/complaints/${id}`, key)).json()) as { number: string };
      type Seen = {
        token: string;
        number: string;
        property: string;
        status: string;
        firstReply: { dueAt: string | null; met: boolean } | null;
        resolution: { dueAt: string | null; met: boolean } | null;
        result: { text: string; at: string } | null;
        survey: { token: string; answered: boolean } | null;
      };
      const open = await call(view, undefined, { body: { number: number.toLowerCase(), contactLastFour: '4321' } });
      const text = await open.text();
      expect(open.status).toBe(200);
      const seen = JSON.parse(text) as Seen;
      expect(seen).toMatchObject({
        number,
        property: '浦江商业广场 Pujiang Plaza',
        status: before.status,
        firstReply: { dueAt: before.firstReplyBy, met: false },
        resolution: { met: false },
        result: null,
        survey: null,
      });
      // Nothing of the complainant, the staff or the inside of the handling.
      expect(text).not.toMatch(/钱七|13900004321|s-li-na|李娜|洗手液/);

      // Wrong digits, an unknown number, another group: one answer that says nothing more.
      for (const body of [
        { number, contactLastFour: '1234' },
        { number: 'SHM01-20200101-9999', contactLastFour: '4321' },
        { group: 'no-such-group', number, contactLastFour: '4321' },
      ]) {
        const refused = await call(view, undefined, { body });
        expect(refused.status).toBe(404);
        expect(((await refused.json()) as Problem).detail).toMatch(
          /no complaint has this number and these last four digits/,
        );
      }
      const malformed = await call(view, undefined, { body: { number, contactLastFour: '43' } });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ invalidParams: [{ name: 'contactLastFour' }] });

      // Resolved and surveyed: the result as told, and the survey answered through the view's link.
      expect((await act(id, 'acknowledge', { staffId: 's-li-na', reply: '您好，已收到' })).status).toBe(200);
      const resolved = await act(id, 'resolve', {
        staffId: 's-li-na',
        liability: 'responsible',
        result: '已补充洗手液',
      });
      expect(resolved.status).toBe(200);
      expect((await act(id, 'survey', { staffId: 's-zhao-min' })).status).toBe(200);
      const again = await call(`${view}/${seen.token}`, undefined);
      expect(again.status).toBe(200);
      const after = (await again.json()) as Seen;
      expect(after).toMatchObject({
        status: 'resolved',
        firstReply: { met: true },
        resolution: { met: true },
        result: { text: '已补充洗手液' },
        survey: { answered: false },
      });
      const answer = await call(`${url}/surveys/${after.survey?.token ?? ''}`, undefined, {
        body: { satisfaction: 'satisfied' },
      });
      expect(answer.status).toBe(200);
      expect(await (await call(`${view}/${after.token}`, undefined)).json()).toMatchObject({
        status: 'callback_done',
        survey: { answered: true },
      });
      const forged = await call(`${view}/${after.token.slice(0, -3)}AAA`, undefined);
      expect(forged.status).toBe(404);

      // Ten tries of a number in a quarter of an hour, right or wrong; then it waits.
      let status = 200;
      for (let tries = 0; tries < 12 && status !== 429; tries += 1) {
        status = (await call(view, undefined, { body: { number, contactLastFour: '0000' } })).status;
      }
      expect(status).toBe(429);
      expect((await call(view, undefined, { body: { number, contactLastFour: '4321' } })).status).toBe(429);
    });
  });

  describe('remedies, causes, corrective actions and the non-liable path (SPEC §3–§4)', () => {
    it('records a remedy within the resolver’s authority, the cause and a corrective action, on the view and the timeline', async () => {
      const { id } = await registered('sh-mall', '13900000091', '地面湿滑未放警示牌，顾客摔倒');
      expect((await act(id, 'acknowledge', { staffId: 's-li-na', reply: '您好，已收到' })).status).toBe(200);
      const dueAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const resolution = {
        liability: 'responsible',
        result: '已赔偿医药费并道歉',
        remedy: { kind: 'compensation', amount: '800.00', note: '医药费' },
        cause: { text: '保洁作业未放置警示牌', category: 'staff_conduct' },
        correctiveAction: { description: '湿拖作业必须放置警示牌，全员培训', ownerId: 's-chen-jie', dueAt },
      };

      const aboveAuthority = await act(id, 'resolve', { staffId: 's-li-na', ...resolution });
      expect(aboveAuthority.status).toBe(403);
      expect(((await aboveAuthority.json()) as Problem).detail).toMatch(
        /may not approve a compensation of 800.00: it needs supervisor or above/,
      );
      const apologyWithAmount = await act(id, 'resolve', {
        staffId: 's-zhao-min',
        ...resolution,
        remedy: { kind: 'apology', amount: '10' },
      });
      expect(apologyWithAmount.status).toBe(400);
      expect(((await apologyWithAmount.json()) as Problem).invalidParams?.map((param) => param.name)).toContain(
        'remedy.amount',
      );
      const unknownOwner = await act(id, 'resolve', {
        staffId: 's-zhao-min',
        ...resolution,
        correctiveAction: { ...resolution.correctiveAction, ownerId: 's-sun-li' },
      });
      expect(unknownOwner.status).toBe(400);
      expect(((await unknownOwner.json()) as Problem).invalidParams?.map((param) => param.name)).toContain(
        'correctiveAction.ownerId',
      );
      const badAmount = await act(id, 'resolve', {
        staffId: 's-zhao-min',
        ...resolution,
        remedy: { kind: 'refund', amount: '1.234' },
      });
      expect(badAmount.status).toBe(400);

      const resolved = await act(id, 'resolve', { staffId: 's-zhao-min', ...resolution });
      expect(resolved.status).toBe(200);
      const lifecycle = (await resolved.json()) as { callbackBy: string | null; resolution: Record<string, unknown> };
      expect(lifecycle.callbackBy).not.toBeNull();
      expect(lifecycle.resolution).toMatchObject({
        remedy: { kind: 'compensation', amount: '800.00', approvedBy: { id: 's-zhao-min', level: 'supervisor' } },
        cause: { text: '保洁作业未放置警示牌', category: 'staff_conduct' },
        correctiveAction: { description: '湿拖作业必须放置警示牌，全员培训', owner: { id: 's-chen-jie' }, dueAt },
      });
      const entry = await eventually(async () => {
        const body = (await (await call(`${url}/complaints/${id}/timeline`, key)).json()) as {
          entries: { type: string; details: Record<string, unknown> }[];
        };
        return body.entries.find((candidate) => candidate.type === 'resolve');
      }, 'the resolution on the timeline');
      expect(entry.details).toMatchObject({
        remedy: { kind: 'compensation', amount: '800.00' },
        correctiveAction: { owner: { id: 's-chen-jie' } },
      });
    });

    it('explains a non-liable complaint and closes it without a callback', async () => {
      const { id } = await registered('sh-mall', '13900000092', '停车场的指示牌被人挪走了');
      expect((await act(id, 'acknowledge', { staffId: 's-li-na', reply: '您好，已收到' })).status).toBe(200);
      const explanation = '指示牌系市政道路施工单位临时移走，非商场原因，已联系对方恢复';
      const compensated = await act(id, 'resolve', {
        staffId: 's-li-na',
        liability: 'non_liable',
        result: explanation,
        remedy: { kind: 'compensation', amount: '50' },
      });
      expect(compensated.status).toBe(400);
      expect(((await compensated.json()) as Problem).invalidParams?.map((param) => param.name)).toContain(
        'remedy.kind',
      );
      const resolved = await act(id, 'resolve', {
        staffId: 's-li-na',
        liability: 'non_liable',
        result: explanation,
        cause: { text: '市政施工单位移走', category: 'external' },
      });
      expect(resolved.status).toBe(200);
      expect(await resolved.json()).toMatchObject({ status: 'resolved', callbackBy: null, callbackPlan: null });
      const closed = await act(id, 'close', { staffId: 's-li-na', note: '已向业主说明' });
      expect(closed.status).toBe(200);
      expect(await closed.json()).toMatchObject({ status: 'closed' });
    });
  });
});
