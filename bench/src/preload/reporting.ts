import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb';
import type { PreloadComplaint, PreloadService } from './complaint';

/**
 * What reporting stores per complaint (services/reporting), as it writes it:
 * - `complaint_facts`: the complaint's row, keyed by complaint id: its fact events (which also
 *   recognise a duplicate event), their ids, the row version (one per applied event) and the
 *   facts derived from them (src/complaint-facts/derive-facts.ts);
 * - `rollup_rows`: the same facts in the documents of the half-year it was received in (group
 *   time zone; the demo group keeps the default Asia/Shanghai), SHARDS documents per half-year
 *   keyed `<group>|<half>|<shard>` (src/rollups/period-rows.repository.ts), which the rollup
 *   refresher reads by `_id`.
 * No `rollups` / `rollup_periods`: reporting builds a period it has never built from its
 * `rollup_rows` the first time it is read, so the preload leaves that to the service. No
 * `rollup_changes`: every preloaded row is in the rollup rows already.
 *
 * The event ids are the complaint's `eventIds`: registered, routed, the lifecycle's start, and
 * for a closed complaint its resolution and close (the same times as the notification preload).
 */

/** The same as services/reporting/src/rollups/period-rows.repository.ts. */
const SHARDS = 32;
function shardOf(complaintId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < complaintId.length; index += 1) {
    hash ^= complaintId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % SHARDS;
}

/** The same as services/reporting/src/rollups/rollup-changes.repository.ts. */
function fieldKey(id: string): string {
  return id.replace(/[.$%~]/g, (character) => `%${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The half-year in Asia/Shanghai (UTC+8 all year): the demo group's default report zone. */
function halfOf(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3_600_000);
  return `${local.getUTCFullYear()}-H${local.getUTCMonth() < 6 ? 1 : 2}`;
}

const MINUTE = 60_000;

function transitioned(id: string, at: Date, action: string, status: string, severity: string, validity = '') {
  return {
    id,
    at: at.toISOString(),
    type: 'transitioned',
    action,
    toStatus: status,
    status,
    severity,
    round: 1,
    satisfaction: '',
    outcome: '',
    validity,
    liability: '',
  };
}

function documentsOf(complaint: PreloadComplaint): { facts: Document; row: Document } {
  const [registeredId, routedId, startId, resolveId, closeId] = complaint.eventIds;
  const at = (minutes: number) => new Date(complaint.receivedAt.getTime() + minutes * MINUTE);
  const closedAt = complaint.closedAt && resolveId && closeId ? complaint.closedAt : null;
  const resolvedAt = closedAt ? new Date(closedAt.getTime() - 60 * MINUTE) : null;
  const handler = { id: complaint.handler.id, name: complaint.handler.name };
  const events = [
    {
      id: registeredId,
      at: complaint.receivedAt.toISOString(),
      type: 'registered',
      number: complaint.number,
      propertyId: complaint.propertyId,
      regionId: complaint.regionId,
      channel: complaint.channel,
      receivedAt: complaint.receivedAt.toISOString(),
      location: complaint.location,
      closedAtFirstContact: false,
    },
    {
      id: routedId,
      at: at(0.5).toISOString(),
      type: 'routed',
      number: complaint.number,
      propertyId: complaint.propertyId,
      regionId: complaint.regionId,
      channel: complaint.channel,
      receivedAt: complaint.receivedAt.toISOString(),
      category: complaint.category,
      severity: complaint.severity,
      department: complaint.department,
      liability: '',
      handler,
      mergedInto: '',
    },
    transitioned(startId, at(1), 'start', 'assigned', complaint.severity),
    ...(closedAt && resolvedAt
      ? [
          transitioned(resolveId, resolvedAt, 'resolve', 'resolved', complaint.severity, 'valid'),
          transitioned(closeId, closedAt, 'close', 'closed', complaint.severity),
        ]
      : []),
  ];
  // What deriveFacts gives for these events.
  const derived = {
    number: complaint.number,
    propertyId: complaint.propertyId,
    regionId: complaint.regionId,
    channel: complaint.channel,
    category: complaint.category,
    severity: complaint.severity,
    department: complaint.department,
    liability: '',
    location: complaint.location.trim().toLowerCase().replace(/\s+/g, ' '),
    handler,
    status: closedAt ? 'closed' : 'assigned',
    receivedAt: complaint.receivedAt,
    firstRepliedAt: null,
    resolvedAt,
    callbackAt: null,
    closedAt,
    closedAtFirstContact: false,
    validity: closedAt ? 'valid' : '',
    round: 1,
    satisfaction: '',
    breaches: [],
    platformLateBreaches: [],
    escalations: [],
  };
  const version = events.length;
  return {
    facts: {
      _id: complaint.id,
      groupId: complaint.groupId,
      events,
      eventIds: events.map((event) => event.id),
      version,
      ...derived,
    },
    row: { complaintId: complaint.id, groupId: complaint.groupId, version, ...derived },
  };
}

export const preloadReporting: PreloadService = async (target, batch) => {
  const client = await MongoClient.connect(target.mongoUrl);
  try {
    const db = client.db(target.dbName);
    const documents = batch.map(documentsOf);
    await db.collection<Document & { _id: string }>('complaint_facts').insertMany(
      documents.map((document) => document.facts as Document & { _id: string }),
      { ordered: false },
    );
    // One update per half-year document touched by the batch, as the refresher writes them.
    const pages = new Map<string, { groupId: string; half: string; rows: Record<string, Document> }>();
    for (const [index, complaint] of batch.entries()) {
      const half = halfOf(complaint.receivedAt);
      const _id = `${complaint.groupId}|${half}|${shardOf(complaint.id)}`;
      const page = pages.get(_id) ?? pages.set(_id, { groupId: complaint.groupId, half, rows: {} }).get(_id)!;
      page.rows[`rows.${fieldKey(complaint.id)}`] = documents[index].row;
    }
    const writes: AnyBulkWriteOperation<Document & { _id: string }>[] = [...pages].map(([_id, page]) => ({
      updateOne: {
        filter: { _id },
        update: { $setOnInsert: { groupId: page.groupId, half: page.half }, $set: page.rows },
        upsert: true,
      },
    }));
    if (writes.length > 0)
      await db.collection<Document & { _id: string }>('rollup_rows').bulkWrite(writes, { ordered: false });
  } finally {
    await client.close();
  }
};
