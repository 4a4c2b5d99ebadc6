import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb';
import type { PreloadComplaint, PreloadService } from './complaint';

/**
 * What intake stores per complaint (services/intake), as it writes it:
 * - `complaints`: the record, complainant sealed with the local key (`local-1`, what `make up` and
 *   the bench run with), the ids of the events intake announced, and the timeline head
 *   (`timeline`: last seq, last hash, every entry's source in order);
 * - `timeline_entries`: `<complaint>:<seq>`, one per event, hash-chained;
 * - `complaint_idempotency`: `<group>:<idempotency key>` → the complaint and the request hash;
 * - `complaint_number_claims` (`<group>:<code>:<day>:<seq>`) and `complaint_number_counters`
 *   (`<group>:<code>:<day>`, the highest claim);
 * - `retention_hours`: `YYYY-MM-DDTHH` → the complaints closed in that UTC hour, and
 *   `maintenance_state` `retention`: done through the hour before the first close.
 * Nothing is pending in `pending_outbox`: every preloaded event was published.
 */

/** services/intake/src/config.ts LOCAL_PERSONAL_DATA_KEYS. */
const LOCAL_KEY_ID = 'local-1';
const LOCAL_KEY = Buffer.from('local-only-personal-data-key-001');
const HOUR_MS = 60 * 60 * 1000;
const PARTNER = { kind: 'partner', id: 'bench', name: 'bench' };
const SYSTEM = (name: string) => ({ kind: 'system', id: name, name });

type Keyed = Document & { _id: string };

/** services/intake/src/personal-data/key-ring.ts `seal`: AES-256-GCM bound to the complaint id. */
function seal(complaintId: string, clear: { name: string; contact: string; unit: string }) {
  const iv = createHash('sha256').update(`iv:${complaintId}`).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', LOCAL_KEY, iv);
  cipher.setAAD(Buffer.from(complaintId, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(clear), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { keyId: LOCAL_KEY_ID, iv: iv.toString('base64'), data: data.toString('base64') };
}

/** RFC 8785 for the plain JSON the timeline holds (strings, integers, arrays, objects): sorted keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** services/intake/src/config.ts LOCAL_TIMELINE_KEYS. */
const TIMELINE_KEY_ID = 'local-1';
const TIMELINE_KEY = Buffer.from('local-only-timeline-chain-key-01');

/** services/intake/src/timeline/hash-chain.ts `TimelineSeal.sign`: HMAC-SHA256 over the canonical facts. */
function entryHash(facts: Record<string, unknown>): string {
  return createHmac('sha256', TIMELINE_KEY).update(canonical(facts)).digest('hex');
}

function hourOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** What happened to it, one entry per event id (services/intake/src/timeline/timeline-entries.ts). */
function timelineOf(complaint: PreloadComplaint): { type: string; actor: Document; details: Document; at: Date }[] {
  const received = complaint.receivedAt.getTime();
  const handler = { kind: 'staff', id: complaint.handler.id, name: complaint.handler.name };
  const steps = [
    {
      type: 'registered',
      actor: PARTNER,
      at: complaint.receivedAt,
      details: {
        number: complaint.number,
        channel: complaint.channel,
        propertyId: complaint.propertyId,
        receivedAt: complaint.receivedAt.toISOString(),
      },
    },
    {
      type: 'routed',
      actor: SYSTEM('routing'),
      at: new Date(received + 1_000),
      details: {
        category: complaint.category,
        severity: complaint.severity,
        department: complaint.department,
        handler: complaint.handler.name,
        propertyHead: complaint.propertyHead.name,
        reasons: [],
      },
    },
    {
      type: 'acknowledge',
      actor: handler,
      at: new Date(received + HOUR_MS),
      details: { from: 'assigned', to: 'acknowledged', deadlines: {} },
    },
    {
      type: 'resolve',
      actor: handler,
      at: new Date(received + 20 * HOUR_MS),
      details: { from: 'investigating', to: 'resolved', deadlines: {} },
    },
    {
      type: 'close',
      actor: handler,
      at: complaint.closedAt ?? new Date(received + 24 * HOUR_MS),
      details: { from: 'resolved', to: 'closed', deadlines: {} },
    },
  ];
  return complaint.eventIds.map((_, i) => steps[Math.min(i, steps.length - 1)]);
}

export const preloadIntake: PreloadService = async (target, batch) => {
  if (batch.length === 0) return;
  const complaints: Keyed[] = [];
  const entries: Keyed[] = [];
  const idempotency: Keyed[] = [];
  const claims: Keyed[] = [];
  const counters = new Map<string, number>();
  const closedByHour = new Map<string, string[]>();
  let firstClose: Date | undefined;

  for (const complaint of batch) {
    const { id, groupId } = complaint;
    let prevHash = '';
    timelineOf(complaint).forEach((step, i) => {
      const facts = {
        complaintId: id,
        seq: i + 1,
        at: step.at.toISOString(),
        type: step.type,
        actor: step.actor,
        details: step.details,
        prevHash,
        keyId: TIMELINE_KEY_ID,
      };
      const hash = entryHash(facts);
      entries.push({ _id: `${id}:${i + 1}`, groupId, sourceId: complaint.eventIds[i], ...facts, hash, __v: 0 });
      prevHash = hash;
    });
    const [code, day, sequence] = complaint.number.split('-');
    const counterId = `${groupId}:${code}:${day}`;
    const seq = Number(sequence);
    claims.push({ _id: `${counterId}:${seq}`, counterId, seq, createdAt: complaint.receivedAt, __v: 0 });
    counters.set(counterId, Math.max(counters.get(counterId) ?? 0, seq));
    const requestHash = createHash('sha256').update(`request:${id}`).digest('hex');
    idempotency.push({
      _id: `${groupId}:${complaint.idempotencyKey}`,
      groupId,
      complaintId: id,
      requestHash,
      createdAt: complaint.receivedAt,
      __v: 0,
    });
    if (complaint.closedAt) {
      const hour = hourOf(complaint.closedAt);
      closedByHour.set(hour, [...(closedByHour.get(hour) ?? []), id]);
      if (!firstClose || complaint.closedAt < firstClose) firstClose = complaint.closedAt;
    }
    const lastAt = complaint.closedAt ?? new Date(complaint.receivedAt.getTime() + HOUR_MS);
    complaints.push({
      _id: id,
      groupId,
      number: complaint.number,
      propertyId: complaint.propertyId,
      channel: complaint.channel,
      receivedAt: complaint.receivedAt,
      complainant: {
        type: 'tenant',
        anchorTenant: false,
        sealed: seal(id, { name: '王先生', contact: `1380013${complaint.complainantKey.slice(0, 4)}`, unit: 'L2-15' }),
        key: complaint.complainantKey,
        erasedAt: null,
      },
      location: complaint.location,
      description: complaint.description,
      demand: complaint.demand,
      status: complaint.status,
      language: 'zh-CN',
      confidential: false,
      confidentialStaffIds: [],
      coComplainantCount: 0,
      categoryHint: '',
      severityHint: '',
      regionId: complaint.regionId,
      involvedDepartment: '',
      involvedStaff: '',
      serviceItem: '',
      resolvedAtFirstContact: false,
      firstContactAnswer: '',
      registeredBy: PARTNER,
      idempotencyKey: complaint.idempotencyKey,
      requestHash,
      category: complaint.category,
      severity: complaint.severity,
      department: complaint.department,
      overdue: false,
      lifecycleAt: lastAt,
      attachmentCount: 0,
      closedAt: complaint.closedAt,
      // Intake announced only the registration; the rest came from routing and escalation.
      eventIds: [complaint.eventIds[0]],
      timeline: { seq: complaint.eventIds.length, hash: prevHash, sources: complaint.eventIds },
      createdAt: complaint.receivedAt,
      updatedAt: lastAt,
      __v: 0,
    });
  }

  const client = await MongoClient.connect(target.mongoUrl);
  try {
    const db = client.db(target.dbName);
    await db.collection<Keyed>('complaints').insertMany(complaints, { ordered: false });
    await db.collection<Keyed>('timeline_entries').insertMany(entries, { ordered: false });
    await db.collection<Keyed>('complaint_idempotency').insertMany(idempotency, { ordered: false });
    await db.collection<Keyed>('complaint_number_claims').insertMany(claims, { ordered: false });
    // A day's numbers may span two batches: the counter keeps the highest.
    await db.collection<Keyed>('complaint_number_counters').bulkWrite(
      [...counters].map(([_id, seq]): AnyBulkWriteOperation<Keyed> => ({
        updateOne: { filter: { _id }, update: { $max: { seq } }, upsert: true },
      })),
      { ordered: false },
    );
    if (closedByHour.size > 0) {
      await db.collection<Keyed>('retention_hours').bulkWrite(
        [...closedByHour].map(([_id, ids]): AnyBulkWriteOperation<Keyed> => ({
          updateOne: { filter: { _id }, update: { $addToSet: { complaintIds: { $each: ids } } }, upsert: true },
        })),
        { ordered: false },
      );
    }
    if (firstClose) {
      // Batches come oldest first: the first one sets where retention starts.
      await db
        .collection<Keyed>('maintenance_state')
        .updateOne(
          { _id: 'retention' },
          { $setOnInsert: { through: hourOf(new Date(firstClose.getTime() - HOUR_MS)) } },
          { upsert: true },
        );
    }
  } finally {
    await client.close();
  }
};
