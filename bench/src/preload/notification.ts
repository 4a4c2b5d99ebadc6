import { createHash } from 'node:crypto';
import { MongoClient, type Document } from 'mongodb';
import type { PreloadComplaint, PreloadService } from './complaint';
import { demoGroupSeed } from './seed';

/**
 * What notification stores per complaint (services/notification), as it writes it:
 * - `cases`: the complaint as notification follows it, keyed by complaint id, with the ids of
 *   the deliveries to its complainant (for erasure);
 * - `deliveries`: one per message, keyed by (event, recipient, channel), all sent: the receipt
 *   SMS to the complainant and the assignment to the handler (email, WeChat) when the lifecycle
 *   starts; the result and the closing SMS for a closed complaint.
 * No `case_members` (nothing preloaded is merged) and no webhooks (no subscriptions). The
 * `upgrades` document its first start writes once the data is up to date is written too, so the
 * measured run does not begin with notification's one-off start-up scan.
 *
 * The event ids are the complaint's `eventIds`: registered, routed, then the lifecycle's start,
 * and for a closed complaint its resolution and close.
 */

interface SeedStaff {
  id: string;
  email?: string;
  wechatOpenId?: string;
  language?: string;
}
interface Seed {
  properties: { id: string; name: string; timeZone?: string }[];
  staff: SeedStaff[];
}

const demoGroup = (): Seed => demoGroupSeed<Seed>();

/** The same as services/notification/src/deliveries/deliveries.repository.ts `deliveryId`. */
function deliveryId(eventId: string, recipientId: string, channel: string): string {
  return createHash('sha256').update(`${eventId}\u0000${recipientId}\u0000${channel}`).digest('hex').slice(0, 32);
}

const MINUTE = 60_000;

/** Every notification document is keyed by a string `_id`. */
type Keyed = Document & { _id: string };

/** A masked mainland mobile number, as notification keeps a complainant's address. */
function maskedMobile(complainantKey: string): string {
  return `+86138****${String(parseInt(complainantKey.slice(0, 6), 16) % 10_000).padStart(4, '0')}`;
}

function documentsOf(complaint: PreloadComplaint) {
  const { properties, staff } = demoGroup();
  const property = properties.find((candidate) => candidate.id === complaint.propertyId);
  const propertyName = property?.name ?? complaint.propertyId;
  const timeZone = property?.timeZone ?? 'Asia/Shanghai';
  const handler = staff.find((member) => member.id === complaint.handler.id);
  const [, , startId, resolveId, closeId] = complaint.eventIds;
  const at = (minutes: number) => new Date(complaint.receivedAt.getTime() + minutes * MINUTE);
  const startedAt = at(1);
  const firstReplyBy = at(120).toISOString();
  const resolveBy = at(3 * 24 * 60).toISOString();
  const deadlines = { firstReplyBy, resolveBy };
  const closedAt = complaint.closedAt;
  const lastAt = closedAt ?? startedAt;

  const kase = {
    _id: complaint.id,
    groupId: complaint.groupId,
    number: complaint.number,
    propertyId: complaint.propertyId,
    regionId: complaint.regionId,
    language: 'zh-CN',
    confidential: false,
    ownerId: '',
    handlerId: complaint.handler.id,
    propertyHeadId: complaint.propertyHead.id,
    status: complaint.status,
    severity: complaint.severity,
    deadlines,
    mergedInto: '',
    lifecycleAt: lastAt,
    deliveriesListed: true,
    complainantDeliveries: [] as string[],
    createdAt: complaint.receivedAt,
    updatedAt: lastAt,
  };

  const common = (eventId: string, sentAt: Date) => ({
    groupId: complaint.groupId,
    eventId,
    eventType: 'transitioned',
    complaintId: complaint.id,
    keyId: '',
    language: 'zh-CN',
    body: '',
    timeZone,
    status: 'sent',
    attempts: [{ number: 1, at: sentAt, ok: true, providerResponse: 'OK', error: '' }],
    deferredUntil: null,
    replays: 0,
    createdAt: sentAt,
    updatedAt: sentAt,
  });
  const params = { number: complaint.number, property: propertyName, firstReplyBy, resolveBy };
  const toComplainant = (eventId: string, sentAt: Date, template: string, subject: string, text: string) => ({
    _id: deliveryId(eventId, `c:${complaint.id}`, 'sms'),
    ...common(eventId, sentAt),
    recipientKind: 'complainant',
    recipientId: complaint.id,
    channel: 'sms',
    to: maskedMobile(complaint.complainantKey),
    template,
    subject,
    text,
    params,
    respectsQuietHours: true,
  });
  const deliveries: Keyed[] = [
    toComplainant(
      startId,
      startedAt,
      'receipt',
      `您的投诉已受理：${complaint.number}`,
      `您好，您在${propertyName}的投诉已受理，编号 ${complaint.number}。`,
    ),
  ];
  const handlerAddresses = [
    ...(handler?.email ? [{ channel: 'email', to: handler.email }] : []),
    ...(handler?.wechatOpenId ? [{ channel: 'wechat', to: handler.wechatOpenId }] : []),
  ];
  for (const address of handlerAddresses) {
    deliveries.push({
      _id: deliveryId(startId, `s:${complaint.handler.id}`, address.channel),
      ...common(startId, startedAt),
      recipientKind: 'handler',
      recipientId: complaint.handler.id,
      channel: address.channel,
      to: address.to,
      template: 'assigned',
      subject: `新投诉待处理：${complaint.number}`,
      text: `${propertyName}的投诉 ${complaint.number}已分派给您。`,
      params,
      respectsQuietHours: false,
    });
  }
  if (closedAt && resolveId && closeId) {
    const resolvedAt = new Date(closedAt.getTime() - 60 * MINUTE);
    deliveries.push(
      toComplainant(
        resolveId,
        resolvedAt,
        'result',
        `投诉 ${complaint.number} 已处理`,
        `您好，您的投诉 ${complaint.number} 已处理。`,
      ),
      toComplainant(
        closeId,
        closedAt,
        'closed',
        `投诉 ${complaint.number} 已办结`,
        `您好，您的投诉 ${complaint.number} 已办结，感谢您的监督。`,
      ),
    );
  }
  kase.complainantDeliveries = deliveries
    .filter((delivery) => delivery.recipientKind === 'complainant')
    .map((delivery) => delivery._id);
  return { kase, deliveries };
}

export const preloadNotification: PreloadService = async (target, batch) => {
  const client = await MongoClient.connect(target.mongoUrl);
  try {
    const db = client.db(target.dbName);
    const all = batch.map(documentsOf);
    await db.collection<Keyed>('cases').insertMany(
      all.map((item) => item.kase),
      { ordered: false },
    );
    // services/notification/src/deliveries/drop-stored-contacts.ts STORED_CONTACTS_UPGRADE.
    await db
      .collection<Keyed>('upgrades')
      .updateOne(
        { _id: 'stored-contacts-and-member-lists-v1' },
        { $setOnInsert: { doneAt: new Date() } },
        { upsert: true },
      );
    await db.collection<Keyed>('deliveries').insertMany(
      all.flatMap((item) => item.deliveries),
      { ordered: false },
    );
  } finally {
    await client.close();
  }
};
