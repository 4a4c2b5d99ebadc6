import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb';
import type { PreloadComplaint, PreloadService } from './complaint';

/**
 * What reporting stores per complaint (services/reporting), as it writes it:
 * - `complaint_facts`: the complaint's row, keyed by complaint id: its fact events (which also
 *   recognise a duplicate event), their ids, the row version (one per applied event) and the
 *   facts derived from them (src/complaint-facts/derive-facts.ts);
 * - `rollup_rows`: the same facts in the document of the local day it was received on (group
 *   time zone; the demo group keeps the default Asia/Shanghai), keyed `<group>|<YYYY-MM-DD>`
 *   (src/rollups/period-rows.repository.ts), which reporting reads by `_id`; and the marker
 *   document `layout:days` that says the rows are filed by day (the service writes it at its
 *   first start, after filing older half-year documents by day). A day holds up to PAGE_ROWS
 *   rows in its first document; the generator puts about count / 365 complaints on a day (137
 *   for 50,000), so the preload writes first pages only and stops if a day would need more.
 * No `rollups` / `rollup_periods`: reporting builds a period's figures from its days' rows
 * when it is first read, so the preload leaves that to the service. No `rollup_changes`: every
 * preloaded row is in the rollup rows already.
 *
 * The event ids are the complaint's `eventIds`: registered, routed, the lifecycle's start, and
 * for a closed complaint its resolution and close (the same times as the notification preload).
 */

/** The same as services/reporting/src/rollups/period-rows.repository.ts. */
const PAGE_ROWS = 2_000;
const LAYOUT_MARKER = 'layout:days';

/** The same as services/reporting/src/rollups/rollup-changes.repository.ts. */
function fieldKey(id: string): string {
  return id.replace(/[.$%~]/g, (character) => `%${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The local day in Asia/Shanghai (UTC+8 all year): the demo group's default report zone. */
function dayOf(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Rows written per day document by this process (batches come one after another, oldest first). */
const rowsPerDay = new Map<string, number>();

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
    involvedStaff: null,
    consequences: [],
    correctiveActions: [],
    supervised: false,
    supervisionOverdue: false,
    spotCheck: '',
    remedyKind: '',
    remedyCents: 0,
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
    // One update per day document touched by the batch, as the refresher writes them.
    const pages = new Map<string, { groupId: string; day: string; rows: Record<string, Document> }>();
    for (const [index, complaint] of batch.entries()) {
      const day = dayOf(complaint.receivedAt);
      const _id = `${complaint.groupId}|${day}`;
      const rows = (rowsPerDay.get(_id) ?? 0) + 1;
      if (rows > PAGE_ROWS)
        throw new Error(`${_id}: more than ${PAGE_ROWS} complaints on one day need further pages (not preloaded)`);
      rowsPerDay.set(_id, rows);
      const page = pages.get(_id) ?? pages.set(_id, { groupId: complaint.groupId, day, rows: {} }).get(_id)!;
      page.rows[`rows.${fieldKey(complaint.id)}`] = documents[index].row;
    }
    const writes: AnyBulkWriteOperation<Document & { _id: string }>[] = [...pages].map(([_id, page]) => ({
      updateOne: {
        filter: { _id },
        update: { $setOnInsert: { groupId: page.groupId, day: page.day, pages: 1 }, $set: page.rows },
        upsert: true,
      },
    }));
    const rowDocuments = db.collection<Document & { _id: string }>('rollup_rows');
    if (writes.length > 0) await rowDocuments.bulkWrite(writes, { ordered: false });
    await rowDocuments.updateOne(
      { _id: LAYOUT_MARKER },
      { $setOnInsert: { layout: 'day', at: new Date() } },
      { upsert: true },
    );
  } finally {
    await client.close();
  }
};
