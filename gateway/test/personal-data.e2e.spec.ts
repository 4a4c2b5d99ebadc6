import mongoose from 'mongoose';
import { type RunningPlatform, eventually, startTestPlatform, testServers } from '@complaints/devstack';
import { call } from './in-process-gateway';

interface Receipt {
  id: string;
  complaintIds: string[];
  confirmations: {
    service: string;
    complaints: number;
    records: number;
    confirmedAt: string | null;
    complete: boolean;
  }[];
  complete: boolean;
}

const PHONE = '13512345678';
const NAME = '甄隐私';

// SPEC §9 through the whole platform: masking, reveal with the access log, erasure in every service.
describe('personal data: masked views, reveal and access log, erasure across services', () => {
  let platform: RunningPlatform;
  let url: string;
  let key: string;

  beforeAll(async () => {
    // Retention of a few seconds, checked every second: closed complaints lose their personal data
    // while the test watches (open ones keep it).
    platform = await startTestPlatform('personal-data', {
      env: { PERSONAL_DATA_RETENTION_DAYS: String(3 / 86_400), PERSONAL_DATA_RETENTION_INTERVAL_MS: '1000' },
    });
    url = `${platform.gatewayUrl}/v1`;
    key = platform.apiKey;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

  /** Reads a service's database around the service's code. */
  async function rawDatabase<T>(
    service: 'intake' | 'routing' | 'notification',
    read: (db: NonNullable<mongoose.Connection['db']>) => Promise<T>,
  ): Promise<T> {
    const connection = await mongoose
      .createConnection(testServers().mongoUrl, { dbName: platform.services[service].database })
      .asPromise();
    try {
      if (!connection.db) throw new Error('not connected');
      return await read(connection.db);
    } finally {
      await connection.close();
    }
  }

  /** Every document of a service's database, as text. */
  async function rawText(service: 'intake' | 'routing' | 'notification'): Promise<string> {
    return rawDatabase(service, async (db) => {
      const collections = await db.listCollections().toArray();
      return JSON.stringify(
        await Promise.all(collections.map(async ({ name }) => db.collection(name).find().toArray())),
      );
    });
  }

  it('masks, reveals with a logged reason, and erases one complainant everywhere with a receipt', async () => {
    const registered = await call(`${url}/complaints`, key, {
      body: {
        propertyId: 'sh-mall',
        channel: 'phone',
        complainant: { name: NAME, contact: PHONE, type: 'consumer', unit: 'L3-21' },
        description: '洗手间漏水',
      },
    });
    expect(registered.status).toBe(201);
    const { id } = await json<{ id: string }>(registered);

    // Masked in every view by default.
    const shown = await json<{ complainant: Record<string, unknown> }>(await call(`${url}/complaints/${id}`, key));
    expect(shown.complainant).toMatchObject({ name: '甄**', contact: '135****5678', unit: 'L3***' });
    const listed = await call(`${url}/complaints?limit=50`, key);
    expect(await listed.text()).not.toContain(PHONE);

    // Revealing takes a reason, and a key allowed to.
    const noReason = await call(`${url}/complaints/${id}/personal-data/reveal`, key, { body: { fields: ['contact'] } });
    expect(noReason.status).toBe(400);
    const created = await json<{ secret: string }>(
      await call(`${url}/admin/api-keys`, key, { body: { name: 'call centre' } }),
    );
    const notAdmin = await call(`${url}/complaints/${id}/personal-data/reveal`, created.secret, {
      body: { fields: ['contact'], reason: '回访投诉人' },
    });
    expect(notAdmin.status).toBe(403);
    const revealed = await call(`${url}/complaints/${id}/personal-data/reveal`, key, {
      body: { fields: ['contact', 'name'], reason: '回访投诉人，核实处理结果' },
    });
    expect(revealed.status).toBe(200);
    expect(await json<Record<string, unknown>>(revealed)).toMatchObject({ contact: PHONE, name: NAME });
    const log = await json<{ items: Record<string, unknown>[] }>(
      await call(`${url}/admin/access-log?complaintId=${id}`, key),
    );
    expect(log.items).toEqual([
      expect.objectContaining({
        complaintId: id,
        fields: ['contact', 'name'],
        reason: '回访投诉人，核实处理结果',
        actor: expect.objectContaining({ kind: 'partner' }) as unknown,
        at: expect.any(String) as unknown,
      }),
    ]);
    expect((await call(`${url}/admin/access-log`, created.secret)).status).toBe(403);

    // Notification told the complainant, keeping only the masked address.
    const deliveries = await eventually(async () => {
      const list = await json<{ deliveries: { recipientKind: string; address: string }[] }>(
        await call(`${url}/complaints/${id}/notifications`, key),
      );
      return list.deliveries.some((delivery) => delivery.recipientKind === 'complainant') ? list.deliveries : undefined;
    }, 'the delivery to the complainant');
    expect(JSON.stringify(deliveries)).not.toContain(PHONE);
    // Encrypted at rest, and never copied in the clear to another service.
    for (const service of ['intake', 'routing', 'notification'] as const) {
      const text = await rawText(service);
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain(NAME);
    }

    const requested = await call(`${url}/admin/erasure-requests`, key, { body: { contact: `+86 ${PHONE}` } });
    expect(requested.status).toBe(202);
    const receipt = await json<Receipt>(requested);
    expect(receipt.complaintIds).toEqual([id]);
    const done = await eventually(async () => {
      const current = await json<Receipt>(await call(`${url}/admin/erasure-requests/${receipt.id}`, key));
      return current.complete ? current : undefined;
    }, 'the complete receipt');
    expect(done.confirmations.map((confirmation) => confirmation.service).sort()).toEqual([
      'intake',
      'notification',
      'routing',
    ]);
    for (const confirmation of done.confirmations) {
      expect(confirmation).toMatchObject({ complaints: 1, complete: true, confirmedAt: expect.any(String) as unknown });
    }
    expect(done.confirmations.find((c) => c.service === 'notification')?.records).toBeGreaterThanOrEqual(1);

    const after = await json<{ complainant: Record<string, unknown> }>(await call(`${url}/complaints/${id}`, key));
    expect(after.complainant).toMatchObject({ name: '', contact: '', unit: '' });
    const erasedReveal = await call(`${url}/complaints/${id}/personal-data/reveal`, key, {
      body: { fields: ['contact'], reason: '回访投诉人' },
    });
    expect(erasedReveal.status).toBe(409);
    const afterDeliveries = await json<{ deliveries: { recipientKind: string; address: string }[] }>(
      await call(`${url}/complaints/${id}/notifications`, key),
    );
    // The whole record of any left with an address, so that a failure shows how it came to be.
    const notErased = afterDeliveries.deliveries.filter((d) => d.recipientKind === 'complainant' && d.address !== '');
    expect(notErased).toEqual([]);
    expect(done.confirmations.find((c) => c.service === 'routing')?.records).toBe(1);
    for (const service of ['intake', 'routing', 'notification'] as const) {
      const text = await rawText(service);
      expect(text).not.toContain(PHONE);
      expect(text).not.toContain('****5678');
    }
  });

  it('erases the personal data of closed complaints after the retention period, in every service', async () => {
    const phone = '13687654321';
    const registered = await call(`${url}/complaints`, key, {
      body: {
        propertyId: 'sh-mall',
        channel: 'phone',
        complainant: { name: '郝保留', contact: phone, type: 'consumer' },
        description: '咨询停车收费标准',
        resolvedAtFirstContact: true,
        firstContactAnswer: '已告知收费标准',
      },
    });
    expect(registered.status).toBe(201);
    const { id } = await json<{ id: string }>(registered);
    const erased = await eventually(async () => {
      const view = await json<{ personalDataErasedAt: string | null; complainant: Record<string, unknown> }>(
        await call(`${url}/complaints/${id}`, key),
      );
      return view.personalDataErasedAt ? view : undefined;
    }, 'the retention erasure');
    // The facts stay for the reports.
    expect(erased).toMatchObject({ complainant: { name: '', contact: '', unit: '' }, status: 'closed' });
    // Routing forgot the pseudonym: the erasure event reached it.
    await eventually(
      async () =>
        rawDatabase('routing', async (db) => {
          const decision = await db
            .collection<{ _id: string; complainantKey: string }>('decisions')
            .findOne({ _id: id });
          return decision?.complainantKey === `erased:${id}` ? true : undefined;
        }),
      'routing to forget the complainant',
    );
    for (const service of ['intake', 'routing', 'notification'] as const) {
      expect(await rawText(service)).not.toContain(phone);
    }
  });
});
