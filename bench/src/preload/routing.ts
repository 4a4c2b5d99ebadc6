import { MongoClient, type AnyBulkWriteOperation, type Document } from 'mongodb';
import type { PreloadComplaint, PreloadService } from './complaint';
import { demoGroupSeed } from './seed';

/**
 * What routing stores per complaint (services/routing), as it writes it:
 * - `decisions`: one per complaint, keyed by complaint id: a closed complaint's decision is
 *   `closed` and charged to nobody (routing hears of the close from the lifecycle), the others
 *   `open` and charged to their handler; nothing preloaded is merged.
 * - `routing_handler_loads`: `<group>:<staff id>`, the open complaints charged to each handler,
 *   with the ids of the latest changes (`<complaint id>:1`; the last ones of the batch).
 * - `routing_complainants`: `<group>:<complainant key>`, the complaints of the last 30 days.
 * - `routing_open_cases`: `<group>:<property>:<category>:<place>`, the open cases of the last 24 hours
 *   (a closed one is taken off).
 * The windows are counted back from the time of the preload, as the service prunes them when writing.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** services/routing/src/keyed: complainant-histories.ts, open-cases.ts, handler-loads.ts. */
const REPEAT_WINDOW_MS = 30 * DAY_MS;
const COLLECTIVE_WINDOW_MS = DAY_MS;
const LOAD_OPS_KEPT = 200;

/** Routing keys every document by a string `_id`. */
type Keyed = Document & { _id: string };
interface KeyedList {
  _id: string;
  groupId: string;
  entries: Document[];
  createdAt: Date;
  updatedAt: Date;
  __v: number;
}

interface Seed {
  departments: { id: string; kind: string }[];
}

const demoGroup = (): Seed => demoGroupSeed<Seed>();

/** The same as services/routing/src/collective/same-matter.ts `locationKey`. */
function locationKey(location: string): string {
  return location
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The same as services/routing/src/keyed/open-cases.ts `openCasesKey` (preloaded places are short). */
function openCasesKey(complaint: PreloadComplaint, place: string): string {
  return `${complaint.groupId}:${complaint.propertyId}:${complaint.category}:${place}`;
}

function decisionOf(complaint: PreloadComplaint) {
  const kind = demoGroup().departments.find((department) => department.id === complaint.departmentId)?.kind;
  const routedAt = new Date(complaint.receivedAt.getTime() + 30_000);
  const description = complaint.description.slice(0, 2_000);
  const opened = { seq: 1, from: '', to: complaint.handler.id, at: routedAt };
  // As services/routing/src/keyed/handler-loads.ts nextCharge moves it when the complaint closes.
  const charge = complaint.closedAt ? { seq: 2, from: complaint.handler.id, to: '', at: complaint.closedAt } : opened;
  return {
    _id: complaint.id,
    groupId: complaint.groupId,
    number: complaint.number,
    propertyId: complaint.propertyId,
    regionId: complaint.regionId,
    channel: complaint.channel,
    category: complaint.category,
    severity: complaint.severity,
    department: kind ?? 'customer_service',
    departmentId: complaint.departmentId,
    handler: complaint.handler,
    propertyHead: complaint.severity === 'major' ? complaint.propertyHead : null,
    liability: '',
    reasons: [
      `department: ${kind ?? 'customer_service'} handles ${complaint.category}`,
      `handler: ${complaint.handler.name}, on duty with 0 open complaint(s)`,
      ...(complaint.severity === 'major'
        ? [`owner: property head ${complaint.propertyHead.name} (major complaint)`]
        : []),
    ],
    firedRules: [],
    complainantKey: complaint.complainantKey,
    anchorTenant: false,
    receivedAt: complaint.receivedAt,
    resolvedAtFirstContact: false,
    location: complaint.location,
    locationKey: locationKey(complaint.location),
    description,
    mergedInto: '',
    mergedIntoNumber: '',
    mergeReason: '',
    mergeChangedAt: null,
    isCollectiveParent: false,
    state: complaint.closedAt ? 'closed' : 'open',
    charge,
    createdAt: routedAt,
    updatedAt: routedAt,
    __v: 0,
  };
}

/** Appends entries to keyed lists across batches (oldest first, so each list stays in order). */
function appendTo(lists: Map<string, Document[]>, groupId: string): AnyBulkWriteOperation<KeyedList>[] {
  const now = new Date();
  return [...lists].map(([_id, entries]) => ({
    updateOne: {
      filter: { _id },
      update: {
        $push: { entries: { $each: entries } },
        $set: { updatedAt: now },
        $setOnInsert: { groupId, createdAt: now, __v: 0 },
      },
      upsert: true,
    },
  }));
}

export const preloadRouting: PreloadService = async (target, batch) => {
  if (batch.length === 0) return;
  const now = Date.now();
  const groupId = batch[0].groupId;
  const decisions = [];

  const loads = new Map<string, { open: number; ops: string[] }>();
  const histories = new Map<string, Document[]>();
  const openCases = new Map<string, Document[]>();
  for (const complaint of batch) {
    const decision = decisionOf(complaint);
    decisions.push(decision);
    if (decision.state === 'open') {
      const load = loads.get(decision.charge.to) ?? { open: 0, ops: [] };
      load.open++;
      load.ops.push(`${decision._id}:1`);
      loads.set(decision.charge.to, load);
    }
    const receivedAt = decision.receivedAt.getTime();
    if (receivedAt >= now - REPEAT_WINDOW_MS) {
      const key = `${groupId}:${decision.complainantKey}`;
      histories.set(key, [
        ...(histories.get(key) ?? []),
        {
          id: decision._id,
          number: decision.number,
          propertyId: decision.propertyId,
          category: decision.category,
          receivedAt: decision.receivedAt,
        },
      ]);
    }
    if (decision.state === 'open' && receivedAt >= now - COLLECTIVE_WINDOW_MS) {
      const key = openCasesKey(complaint, decision.locationKey);
      openCases.set(key, [
        ...(openCases.get(key) ?? []),
        {
          id: decision._id,
          number: decision.number,
          complainantKey: decision.complainantKey,
          receivedAt: decision.receivedAt,
          location: decision.location,
          locationKey: decision.locationKey,
          description: decision.description,
          isCollectiveParent: false,
        },
      ]);
    }
  }

  const client = await MongoClient.connect(target.mongoUrl);
  try {
    const db = client.db(target.dbName);
    await db.collection<Keyed>('decisions').insertMany(decisions, { ordered: false });
    const at = new Date();
    // A batch of old complaints may all be closed: nobody's load changes.
    if (loads.size > 0) {
      await db.collection<Keyed>('routing_handler_loads').bulkWrite(
        [...loads].map(([staffId, load]) => ({
          updateOne: {
            filter: { _id: `${groupId}:${staffId}` },
            update: {
              $inc: { open: load.open },
              // FerretDB v1 ignores `$slice`: the batch's latest changes stand for the service's log.
              $set: { ops: load.ops.slice(-LOAD_OPS_KEPT), updatedAt: at },
              $setOnInsert: { groupId, staffId, createdAt: at, __v: 0 },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    }
    if (histories.size > 0) {
      await db
        .collection<KeyedList>('routing_complainants')
        .bulkWrite(appendTo(histories, groupId), { ordered: false });
    }
    if (openCases.size > 0) {
      await db.collection<KeyedList>('routing_open_cases').bulkWrite(appendTo(openCases, groupId), { ordered: false });
    }
  } finally {
    await client.close();
  }
};
