import mongoose from 'mongoose';
import { type RunningPlatform, eventually, startTestPlatform, testServers } from '@complaints/devstack';

// The whole platform as separate processes on the real servers, driven over HTTP like a partner would.
describe('walking skeleton: a complaint from the gateway to a running workflow and the reports', () => {
  let platform: RunningPlatform;
  let mongo: mongoose.Mongoose;

  beforeAll(async () => {
    const servers = testServers();
    platform = await startTestPlatform('walking-skeleton');
    mongo = await mongoose.connect(servers.mongoUrl);
  });
  afterAll(async () => {
    await mongo?.disconnect();
    await platform?.stop();
  });

  // Every request carries the platform's admin key of the demo group, as a partner's would carry its own.
  const get = (path: string) =>
    fetch(`${platform.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${platform.apiKey}` } });
  const post = (body: unknown) =>
    fetch(`${platform.gatewayUrl}/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.apiKey}` },
      body: JSON.stringify(body),
    });

  const registration = {
    propertyId: 'sh-mall',
    channel: 'phone',
    // Now: deadlines in the past would breach (and move on) before the test reads them.
    receivedAt: new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    complainant: { name: '张三', contact: '13800138000', type: 'consumer' },
    location: 'B1 停车场',
    description: '停车场电梯停运半小时',
    demand: '尽快修复',
    severityHint: 'important',
  };

  it('registers, routes, starts the lifecycle and reaches the reporting database', async () => {
    const response = await post(registration);
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; number: string; status: string };
    expect(created.status).toBe('registered');
    expect(created.number).toMatch(/^SHM01-\d{8}-\d{4}$/);

    // Routing and the workflow start happen off the request path: wait until the lifecycle answers.
    const complaint = await eventually(async () => {
      const body = (await (await get(`/v1/complaints/${created.id}`)).json()) as {
        id: string;
        number: string;
        status: string;
        firstReplyBy: string | null;
        lifecycle: null | { severity: string; escalationLevel: string };
      };
      return body.lifecycle ? body : undefined;
    }, 'the lifecycle workflow');
    expect(complaint).toMatchObject({ id: created.id, number: created.number, status: 'assigned' });
    expect(complaint.lifecycle).toMatchObject({ severity: 'important', escalationLevel: 'frontline' });
    // Important: first reply within 3 hours of receipt (SPEC §5).
    expect(complaint.firstReplyBy).toBe(new Date(Date.parse(registration.receivedAt) + 3 * 3_600_000).toISOString());

    const facts = await eventually(async () => {
      const row = await mongo.connection
        .useDb(platform.services.reporting.database)
        .collection('complaint_facts')
        .findOne({ _id: created.id as unknown as mongoose.Types.ObjectId });
      return row?.severity ? row : undefined;
    }, 'the reporting read model');
    // "电梯停运" (lift stopped) is a facilities fault: routing's keyword rules classify it.
    expect(facts).toMatchObject({
      number: created.number,
      channel: 'phone',
      category: 'facilities_equipment',
      severity: 'important',
    });

    // The registered event leaves intake's outbox (pending_outbox, one document per event in
    // flight) once it is on the stream: at once, or through the relay when a loaded machine made
    // the first publish time out.
    await eventually(async () => {
      const pending = await mongo.connection
        .useDb(platform.services.intake.database)
        .collection('pending_outbox')
        .countDocuments({ complaintId: created.id });
      return pending === 0 ? true : undefined;
    }, "intake's outbox to empty");

    // Notification follows the complaint as its events arrive: the case it keeps has the
    // registration (number) and the routing (severity).
    const kase = await eventually(async () => {
      const found = await mongo.connection
        .useDb(platform.services.notification.database)
        .collection('cases')
        .findOne({ _id: created.id } as never);
      return found?.severity ? found : undefined;
    }, 'the notification service to follow the registration and the routing');
    expect(kase).toMatchObject({ number: created.number, severity: 'important' });
  });

  it('numbers complaints of the same property and day one after another', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await post({ ...registration, propertyId: 'sh-tower' });
      numbers.push(((await response.json()) as { number: string }).number);
    }
    const sequences = numbers.map((number) => Number(number.split('-')[2]));
    expect(sequences).toEqual([sequences[0], sequences[0] + 1, sequences[0] + 2]);
    expect(numbers[0].startsWith('SHT01-')).toBe(true);
  });

  it('refuses bad input with problem details naming each invalid field', async () => {
    const response = await post({ ...registration, channel: 'carrier_pigeon', complainant: { name: '' }, extra: 1 });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as { status: number; invalidParams: { name: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.invalidParams.map((param) => param.name).sort()).toEqual(
      expect.arrayContaining(['channel', 'complainant.name', 'complainant.contact', 'complainant.type', '(body)']),
    );
  });

  it('answers 404 problem details for an unknown complaint', async () => {
    const response = await get('/v1/complaints/00000000-0000-0000-0000-000000000000');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});
