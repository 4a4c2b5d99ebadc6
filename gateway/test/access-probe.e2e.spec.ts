import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { eventually, type RunningPlatform, signInStaff, startTestPlatform, testServers } from '@complaints/devstack';
import { call, insertApiKey } from './in-process-gateway';

/**
 * Every endpoint of the gateway tried by every kind of caller, with the answer each must get.
 *
 * The table below is the permission table of docs/partners.md written as expectations, not derived
 * from the access policy's code: a route that forgets to ask the policy, or asks it the wrong
 * question, shows up here as a wrong status. Every operation of /openapi.json must have a probe,
 * so a new endpoint cannot be added without saying who may call it.
 *
 * `ok` means the caller got past authorisation (2xx, or 409 when the complaint's state does not
 * allow the action now); refusals must be exactly 401, 403 or 404 (400 where the request names
 * something out of the caller's reach as a field: a property to register at, a key's properties). Besides, an answer that lets
 * a caller through must not name a complaint it cannot see (another group's, another property's).
 */

const CALLERS = [
  'anonymous',
  'otherGroupAdmin',
  'groupAdmin',
  'mallAdmin',
  'plainKey',
  'frontline',
  'propertyHead',
  'regionalGm',
  'hq',
] as const;
type Who = (typeof CALLERS)[number];
type Expected = 'ok' | 400 | 401 | 403 | 404;
type Expectations = Record<Who, Expected>;

const KEYS: readonly Who[] = ['otherGroupAdmin', 'groupAdmin', 'mallAdmin', 'plainKey'];
const STAFF: readonly Who[] = ['frontline', 'propertyHead', 'regionalGm', 'hq'];
/** Callers that see the mall (sh-mall, region east) but not the estate (gz-estate, region south). */
const MALL_ONLY: readonly Who[] = ['mallAdmin', 'frontline', 'propertyHead', 'regionalGm'];
const GROUP_ADMINS: readonly Who[] = ['groupAdmin', 'hq'];

type Place = 'mall' | 'estate';
/** Who owns each place's corrective action, and whom a key names to verify it. */
const CORRECTIVE_OWNER: Record<Place, string> = { mall: 's-liu-yang', estate: 's-he-jun' };
const CORRECTIVE_VERIFIER: Record<Place, string> = { mall: 's-zhao-min', estate: 's-lin-tao' };

/** `allowed` get through, the rest `refused`; nobody is let in without a credential. */
function expect_(
  allowed: readonly Who[],
  refused: 400 | 403 | 404,
  exceptions: Partial<Expectations> = {},
): Expectations {
  const table = Object.fromEntries(
    CALLERS.map((who) => [who, who === 'anonymous' ? 401 : allowed.includes(who) ? 'ok' : refused]),
  ) as Expectations;
  return { ...table, ...exceptions };
}

/** On a complaint: out of sight is 404 (another group; the estate for those who see only the mall); then `allowed`, else 403. */
function onComplaint(place: Place, allowed: readonly Who[] | 'everyone'): Expectations {
  return Object.fromEntries(
    CALLERS.map((who): [Who, Expected] => {
      if (who === 'anonymous') return [who, 401];
      if (who === 'otherGroupAdmin' || (place === 'estate' && MALL_ONLY.includes(who))) return [who, 404];
      return [who, allowed === 'everyone' || allowed.includes(who) ? 'ok' : 403];
    }),
  ) as Expectations;
}

interface ProbeRequest {
  path: string;
  method?: string;
  body?: unknown;
  /** Sent as is (multipart uploads). */
  raw?: { body: Blob | FormData };
}

interface Probe {
  /** The operation as /openapi.json names it: `POST /v1/complaints/{id}/notes`. */
  op: string;
  /** A variant of the same operation (another place, another target). */
  variant?: string;
  expect: Expectations;
  /** The request a caller sends; may prepare a target of its own (a key to revoke …). */
  request(who: Who): ProbeRequest | Promise<ProbeRequest>;
}

describe('every endpoint against every kind of caller', () => {
  let platform: RunningPlatform;
  let mongo: mongoose.Mongoose;
  let receiver: { url: string; received: number; close(): Promise<void> };
  const credential = {} as Record<Who, string | undefined>;
  const complaint = {} as Record<Place, string>;
  const workOrder = {} as Record<Place, string>;
  /** A corrective action at each place, opened by resolving a complaint of its own. */
  const correctiveAction = {} as Record<Place, string>;
  let attachmentId: string;
  let deliveryId: string;
  /** A key none of the callers is: its subscriptions are someone else's for every one of them. */
  let bystanderKey: string;

  const url = (path: string) => `${platform.gatewayUrl}${path}`;
  const send = (who: Who, request: ProbeRequest): Promise<Response> => {
    if (request.raw) {
      return fetch(url(request.path), {
        method: request.method ?? 'POST',
        headers: credential[who] ? { authorization: `Bearer ${credential[who]}` } : {},
        body: request.raw.body,
      });
    }
    return call(url(request.path), credential[who], { method: request.method, body: request.body });
  };
  const json = async <T>(response: Response, status = 200): Promise<T> => {
    const text = await response.text();
    if (response.status !== status) throw new Error(`${response.url}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  };
  /** Read with the group's own admin key. */
  const read = async <T>(path: string): Promise<T> => json<T>(await call(url(path), platform.apiKey));

  const registration = (propertyId: string, contact = '13800138000') => ({
    propertyId,
    channel: 'phone',
    complainant: { name: '张三', contact, type: 'consumer' },
    description: '停车场电梯停运半小时，被困乘客无人处理',
  });
  const workOrderBody = (propertyId: string) => ({
    propertyId,
    location: '3-201',
    trade: 'plumbing',
    urgency: 'normal',
    description: '卫生间漏水',
  });
  const makeKey = async (body: object, by = platform.apiKey): Promise<{ id: string; secret: string }> =>
    json(await call(url('/v1/admin/api-keys'), by, { body }), 201);
  const subscribe = async (key: string, target = receiver.url): Promise<string> =>
    (
      await json<{ id: string }>(
        await call(url('/v1/webhooks/subscriptions'), key, {
          body: { url: target, secret: 'probe-secret-probe-secret' },
        }),
        201,
      )
    ).id;

  beforeAll(async () => {
    const received: string[] = [];
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(request.url ?? '');
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    receiver = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      get received() {
        return received.length;
      },
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };

    // Anonymous probes are wrong credentials by the hundred, from one address: not what is tested here.
    platform = await startTestPlatform('access-probe', {
      gatewayEnv: { FAILED_AUTHENTICATIONS_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '100000' },
    });
    mongo = await mongoose.connect(testServers().mongoUrl);
    const keys = mongo.connection.useDb(platform.gatewayDatabase);
    credential.anonymous = undefined;
    credential.groupAdmin = platform.apiKey;
    credential.otherGroupAdmin = await insertApiKey(keys, { groupId: 'other-group', admin: true });
    credential.mallAdmin = (await makeKey({ name: 'mall admin', propertyIds: ['sh-mall'], admin: true })).secret;
    credential.plainKey = (await makeKey({ name: 'hotline' })).secret;
    bystanderKey = (await makeKey({ name: 'bystander' })).secret;
    const staff: Record<string, string> = {
      frontline: 's-li-na', // sh-mall, customer service
      propertyHead: 's-liu-yang', // sh-mall
      regionalGm: 's-gao-feng', // east: sh-mall and sh-tower
      hq: 's-guo-wei',
    };
    for (const [who, staffId] of Object.entries(staff))
      credential[who as Who] = await signInStaff(platform.oidc, staffId);

    // The group admin's subscription gets a delivery to replay.
    await subscribe(platform.apiKey);
    for (const [place, propertyId] of [
      ['mall', 'sh-mall'],
      ['estate', 'gz-estate'],
    ] as const) {
      complaint[place] = (
        await json<{ id: string }>(
          await call(url('/v1/complaints'), platform.apiKey, {
            body: registration(propertyId),
          }),
          201,
        )
      ).id;
    }
    // Routed away from customer service, so the frontline desk may act on it but not reveal it.
    const routed = await eventually(async () => {
      const response = await call(url(`/v1/complaints/${complaint.mall}/routing`), platform.apiKey);
      return response.status === 200 ? ((await response.json()) as { department: string }) : undefined;
    }, 'the mall complaint routed');
    expect(routed.department).not.toBe('customer_service');
    await eventually(async () => {
      const response = await call(url(`/v1/complaints/${complaint.estate}/routing`), platform.apiKey);
      return response.status === 200 || undefined;
    }, 'the estate complaint routed');

    for (const [place, propertyId] of [
      ['mall', 'sh-mall'],
      ['estate', 'gz-estate'],
    ] as const) {
      workOrder[place] = (
        await json<{ id: string }>(
          await call(url('/v1/work-orders'), platform.apiKey, { body: workOrderBody(propertyId) }),
          201,
        )
      ).id;
    }

    const form = new FormData();
    form.append('file', new Blob([Buffer.from('%PDF-1.4\n%probe\n')], { type: 'application/pdf' }), 'evidence.pdf');
    attachmentId = (
      await json<{ id: string }>(
        await fetch(url(`/v1/complaints/${complaint.mall}/attachments`), {
          method: 'POST',
          headers: { authorization: `Bearer ${platform.apiKey}` },
          body: form,
        }),
        201,
      )
    ).id;
    deliveryId = await eventually(async () => {
      const { deliveries } = await read<{ deliveries: { id: string }[] }>('/v1/webhooks/deliveries');
      return deliveries[0]?.id;
    }, 'a webhook delivery');

    for (const [place, propertyId, handler, owner] of [
      ['mall', 'sh-mall', 's-li-na', CORRECTIVE_OWNER.mall],
      ['estate', 'gz-estate', 's-huang-mei', CORRECTIVE_OWNER.estate],
    ] as const) {
      const { id } = await json<{ id: string }>(
        await call(url('/v1/complaints'), platform.apiKey, {
          body: { ...registration(propertyId, '13800138001'), description: '停车场的指示牌不够清楚' },
        }),
        201,
      );
      await eventually(async () => {
        const response = await call(url(`/v1/complaints/${id}/acknowledge`), platform.apiKey, {
          body: { staffId: handler, reply: '您好' },
        });
        return response.status === 200 || undefined;
      }, 'the lifecycle to start');
      const dueAt = new Date(Date.now() + 14 * 86_400_000).toISOString();
      await json(
        await call(url(`/v1/complaints/${id}/resolve`), platform.apiKey, {
          body: {
            staffId: handler,
            liability: 'responsible',
            result: '已更换',
            correctiveAction: { description: '每月巡检标识', ownerId: owner, dueAt },
          },
        }),
      );
      correctiveAction[place] = await eventually(async () => {
        const { actions } = await read<{ actions: { id: string; complaintId: string }[] }>('/v1/corrective-actions');
        return actions.find((action) => action.complaintId === id)?.id;
      }, 'the corrective action');
    }
  }, 240_000);

  afterAll(async () => {
    await mongo?.disconnect();
    await platform?.stop();
    await receiver?.close();
  });

  /** Each place's complaint, for the operations on one complaint. */
  const onBoth = (
    op: string,
    allowed: readonly Who[] | 'everyone',
    request: (id: string, place: Place, who: Who) => ProbeRequest | Promise<ProbeRequest>,
  ): Probe[] =>
    (['mall', 'estate'] as const).map((place) => ({
      op,
      variant: place,
      expect: onComplaint(place, allowed),
      request: (who) => request(complaint[place], place, who),
    }));

  /** Corrective actions (纠正与预防措施): the owner reports them done; someone else, supervisor or above, verifies. */
  const correctiveStep = (
    step: 'done' | 'verify' | 'return',
    body: object,
    allowed: Record<Place, readonly Who[]>,
  ): Probe[] =>
    (['mall', 'estate'] as const).map((place) => ({
      op: `POST /v1/corrective-actions/{id}/${step}`,
      variant: place,
      expect: onComplaint(place, allowed[place]),
      request: (who) => ({
        path: `/v1/corrective-actions/${encodeURIComponent(correctiveAction[place])}/${step}`,
        body: {
          ...body,
          ...(KEYS.includes(who)
            ? { staffId: step === 'done' ? CORRECTIVE_OWNER[place] : CORRECTIVE_VERIFIER[place] }
            : {}),
        },
      }),
    }));

  /** Whom a key names when it acts: someone of the complaint's property, high enough to approve. */
  const actingFor = (place: Place, who: Who, approving = false) =>
    KEYS.includes(who) ? { staffId: place === 'mall' ? (approving ? 's-liu-yang' : 's-li-na') : 's-he-jun' } : {};
  const lifecycle = (path: string, body: object, approving = false): Probe[] =>
    onBoth(
      `POST /v1/complaints/{id}/${path.replace(/\/1\//, '/{n}/')}`,
      // A key without `actsFor` that is not an admin acts for nobody; approving needs supervisor and up.
      approving
        ? ['groupAdmin', 'mallAdmin', 'propertyHead', 'regionalGm', 'hq']
        : ['groupAdmin', 'mallAdmin', 'frontline', 'propertyHead', 'regionalGm', 'hq'],
      (id, place, who) => ({
        path: `/v1/complaints/${id}/${path}`,
        body: { ...body, ...actingFor(place, who, approving) },
      }),
    );

  const everyone = expect_([...KEYS, ...STAFF], 403);
  const keysOnly = expect_(KEYS, 403);
  const groupAdmins = expect_(GROUP_ADMINS, 403, { otherGroupAdmin: 'ok' });
  /** Per-property administration, on the mall (its admin key may) or the estate (out of its sight). */
  const propertyAdmins = (place: Place, exceptions: Partial<Expectations> = {}) =>
    expect_(GROUP_ADMINS, 403, {
      otherGroupAdmin: 'ok',
      mallAdmin: place === 'mall' ? 'ok' : 404,
      ...exceptions,
    });
  const propertyOf: Record<Place, string> = { mall: 'sh-mall', estate: 'gz-estate' };
  /**
   * Writing the directory: outside its properties a limited admin key is refused (403; a PUT may
   * create, so "not found" would not be true). The other group's admin writes its own group,
   * where the mall exists (the probes before made it there) and the estate's region does not.
   */
  const directoryAdmins = (place: Place) =>
    propertyAdmins(place, place === 'estate' ? { mallAdmin: 403, otherGroupAdmin: 400 } : {});
  /** A PUT of what is there now (without what only a read shows): changes nothing, asks everything. */
  const sameAsNow = async (path: string) => {
    const { isDefault: _, ...body } = await read<Record<string, unknown>>(path);
    return { path, method: 'PUT', body };
  };
  const samePolicy = async (path: string) => {
    const { policy, effective } = await read<{ policy: object | null; effective: object }>(path);
    return { path, method: 'PUT', body: policy ?? effective };
  };
  const sameCalendar = async (path: string) => ({
    path,
    method: 'PUT',
    body: (await read<{ calendar: object }>(path)).calendar,
  });
  const reportWeek = '2026-W49';

  // The handover book: group headquarters (who sees both places and is never on the shifts
  // written here) writes the entries the probes need, each after the one before, signed first.
  const HANDOVER_SHIFT_STAFF: Record<Place, string> = { mall: 's-wang-lei', estate: 's-huang-mei' };
  const HANDOVER_PROPERTY: Record<Place, string> = { mall: 'sh-mall', estate: 'gz-estate' };
  let handoverShifts = 0;
  const handoverBody = (place: Place) => {
    // Each shift an hour after the last, on days no other probe reviews or archives.
    const start = new Date(Date.UTC(2030, 0, 1) + handoverShifts++ * 3_600_000);
    return {
      propertyId: HANDOVER_PROPERTY[place],
      shift: { name: 'probe', start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
      onShift: [HANDOVER_SHIFT_STAFF[place]],
      checklist: [
        'work_area_tidy',
        'keys',
        'resident_situations',
        'book_and_documents',
        'items',
        'unfinished_services_told',
        'notices_for_all',
      ].map((item) => ({ item, checked: true })),
    };
  };
  const freshHandover = async (place: Place): Promise<{ id: string; body: ReturnType<typeof handoverBody> }> => {
    const hq = credential.hq;
    const preview = await json<{ previousEntryId: string | null }>(
      await call(url(`/v1/handovers/preview?propertyId=${HANDOVER_PROPERTY[place]}`), hq),
    );
    if (preview.previousEntryId) {
      const previous = await call(url(`/v1/handovers/${preview.previousEntryId}/sign`), hq, { body: {} });
      if (previous.status !== 200 && previous.status !== 409) throw new Error(`signing: ${previous.status}`);
    }
    const body = handoverBody(place);
    const { id } = await json<{ id: string }>(await call(url('/v1/handovers'), hq, { body }), 201);
    return { id, body };
  };
  const handoverProbes = (): Probe[] => {
    // The other group has a property sh-mall of its own (its book, not this group's): its key
    // reads it and, being a key, writes nothing there. This group's entries it never finds.
    const theirs = (place: Place, expected: Expected): Partial<Expectations> =>
      place === 'mall' ? { otherGroupAdmin: expected } : {};
    const readers = (place: Place) => ({ ...onComplaint(place, 'everyone'), ...theirs(place, 'ok') });
    const writers = (place: Place) => ({ ...onComplaint(place, STAFF), ...theirs(place, 403) });
    const reviewers = (place: Place) => ({
      ...onComplaint(place, ['propertyHead', 'regionalGm', 'hq']),
      ...theirs(place, 403),
    });
    const places = ['mall', 'estate'] as const;
    return places.flatMap((place): Probe[] => {
      const property = HANDOVER_PROPERTY[place];
      return [
        {
          op: 'POST /v1/handovers',
          variant: place,
          expect: writers(place),
          request: () => ({ path: '/v1/handovers', body: handoverBody(place) }),
        },
        {
          op: 'GET /v1/handovers/preview',
          variant: place,
          expect: readers(place),
          request: () => ({ path: `/v1/handovers/preview?propertyId=${property}` }),
        },
        {
          op: 'GET /v1/handovers/{id}',
          variant: place,
          expect: onComplaint(place, 'everyone'),
          request: async () => ({ path: `/v1/handovers/${(await freshHandover(place)).id}` }),
        },
        {
          op: 'PUT /v1/handovers/{id}',
          variant: place,
          expect: onComplaint(place, STAFF),
          request: async () => {
            const { id, body } = await freshHandover(place);
            return { path: `/v1/handovers/${id}`, method: 'PUT', body: { ...body, notices: 'probe' } };
          },
        },
        {
          op: 'POST /v1/handovers/{id}/sign',
          variant: place,
          expect: onComplaint(place, STAFF),
          request: async () => ({ path: `/v1/handovers/${(await freshHandover(place)).id}/sign`, body: {} }),
        },
        {
          op: 'GET /v1/ledgers/{propertyId}/{day}',
          variant: place,
          expect: readers(place),
          request: () => ({ path: `/v1/ledgers/${property}/2030-01-01` }),
        },
        {
          // A day without entries: those allowed are told there is nothing to review (409).
          op: 'POST /v1/ledgers/{propertyId}/{day}/review',
          variant: place,
          expect: reviewers(place),
          request: () => ({ path: `/v1/ledgers/${property}/2031-01-01/review`, body: {} }),
        },
        {
          op: 'GET /v1/ledgers/{propertyId}/months/{month}',
          variant: place,
          expect: readers(place),
          request: () => ({ path: `/v1/ledgers/${property}/months/2030-01` }),
        },
        {
          op: 'POST /v1/ledgers/{propertyId}/months/{month}/archive',
          variant: place,
          expect: reviewers(place),
          request: () => ({ path: `/v1/ledgers/${property}/months/2025-01/archive`, body: {} }),
        },
        {
          op: 'GET /v1/ledgers/{propertyId}/months/{month}/export',
          variant: place,
          expect: readers(place),
          request: () => ({ path: `/v1/ledgers/${property}/months/2030-01/export?format=csv` }),
        },
      ];
    });
  };

  const probes = (): Probe[] => [
    // Anyone signed in or holding a key.
    { op: 'GET /v1/me', expect: everyone, request: () => ({ path: '/v1/me' }) },
    { op: 'GET /v1/canned-replies', expect: everyone, request: () => ({ path: '/v1/canned-replies' }) },
    { op: 'GET /v1/staff', expect: everyone, request: () => ({ path: '/v1/staff?propertyId=sh-mall' }) },
    {
      op: 'GET /v1/corrective-actions',
      expect: everyone,
      request: () => ({ path: '/v1/corrective-actions?status=open' }),
    },
    ...(['mall', 'estate'] as const).map((place): Probe => ({
      op: 'GET /v1/corrective-actions/{id}',
      variant: place,
      expect: onComplaint(place, 'everyone'),
      request: () => ({ path: `/v1/corrective-actions/${encodeURIComponent(correctiveAction[place])}` }),
    })),
    // Done by the owner only (the property head at the mall); the keys name the owner.
    ...correctiveStep(
      'done',
      { report: '已制定巡检表' },
      {
        mall: ['groupAdmin', 'mallAdmin', 'propertyHead'],
        estate: ['groupAdmin'],
      },
    ),
    // Verified or sent back by someone other than the owner, supervisor or above; the keys name a supervisor.
    ...correctiveStep(
      'verify',
      { note: '合格' },
      {
        mall: ['groupAdmin', 'mallAdmin', 'regionalGm', 'hq'],
        estate: ['groupAdmin', 'hq'],
      },
    ),
    ...correctiveStep(
      'return',
      { reason: '巡检表不完整' },
      {
        mall: ['groupAdmin', 'mallAdmin', 'regionalGm', 'hq'],
        estate: ['groupAdmin', 'hq'],
      },
    ),
    { op: 'GET /v1/policies', expect: everyone, request: () => ({ path: '/v1/policies' }) },
    { op: 'GET /v1/complaints', expect: everyone, request: () => ({ path: '/v1/complaints?limit=200' }) },
    {
      op: 'GET /v1/complaints/export',
      expect: everyone,
      request: () => ({ path: '/v1/complaints/export?format=csv' }),
    },
    ...(['mall', 'estate'] as const).map((place): Probe => ({
      op: 'POST /v1/complaints',
      variant: place,
      // The property is a field of the registration: out of reach, it is invalid (400), as one that does not exist.
      expect: expect_([...KEYS, ...STAFF], 400, {
        otherGroupAdmin: 400,
        ...(place === 'estate' ? { mallAdmin: 400, frontline: 400, propertyHead: 400, regionalGm: 400 } : {}),
      }),
      request: () => ({ path: '/v1/complaints', body: registration(propertyOf[place]) }),
    })),

    // Reading one complaint: whoever sees it.
    ...onBoth('GET /v1/complaints/{id}', 'everyone', (id) => ({ path: `/v1/complaints/${id}` })),
    ...onBoth('GET /v1/complaints/{id}/timeline', 'everyone', (id) => ({ path: `/v1/complaints/${id}/timeline` })),
    ...onBoth('GET /v1/complaints/{id}/timeline/verify', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/timeline/verify`,
    })),
    ...onBoth('GET /v1/complaints/{id}/routing', 'everyone', (id) => ({ path: `/v1/complaints/${id}/routing` })),
    ...onBoth('GET /v1/complaints/{id}/attachments', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/attachments`,
    })),
    {
      op: 'GET /v1/complaints/{id}/attachments/{attachmentId}',
      expect: onComplaint('mall', 'everyone'),
      request: () => ({ path: `/v1/complaints/${complaint.mall}/attachments/${attachmentId}` }),
    },
    ...onBoth('GET /v1/complaints/{id}/notifications', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/notifications`,
    })),

    // Working on one complaint: keys, and staff whose department or level lets them.
    ...onBoth('POST /v1/complaints/{id}/notes', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/notes`,
      body: { text: '已联系工程部' },
    })),
    // Allowed callers pass to intake, which answers 409 here: the probe's complaints were not referred.
    ...onBoth('POST /v1/complaints/{id}/referral-reply', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/referral-reply`,
      body: { text: '已回复转办单位' },
    })),
    // Deciding is approving; allowed callers pass to intake, which answers 409: the probe's complaints are not resolved.
    ...onBoth(
      'POST /v1/complaints/{id}/staff-consequences',
      ['groupAdmin', 'mallAdmin', 'propertyHead', 'regionalGm', 'hq'],
      (id, place, who) => {
        const decider = actingFor(place, who, true).staffId;
        return {
          path: `/v1/complaints/${id}/staff-consequences`,
          body: {
            staffId: place === 'mall' ? 's-li-na' : 's-huang-mei',
            measure: 'verbal_warning',
            reason: '服务态度',
            ...(decider ? { decidedBy: decider } : {}),
          },
        };
      },
    ),
    // Each caller allowed corrects the location to something new (a correction changes something).
    ...onBoth('POST /v1/complaints/{id}/corrections', 'everyone', (id, _place, who) => ({
      path: `/v1/complaints/${id}/corrections`,
      body: { reason: '登记位置有误', location: `核实位置 ${who}` },
    })),
    ...onBoth('POST /v1/complaints/{id}/attachments', 'everyone', (id) => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('%PDF-1.4\n%probe\n')], { type: 'application/pdf' }), 'more.pdf');
      return { path: `/v1/complaints/${id}/attachments`, raw: { body: form } };
    }),
    ...onBoth(
      'POST /v1/complaints/{id}/classification',
      ['groupAdmin', 'mallAdmin', 'plainKey', 'propertyHead', 'regionalGm', 'hq'],
      // Each caller changes the severity, so that none is refused for changing nothing.
      async (id) => {
        const { severity } = await read<{ severity: string }>(`/v1/complaints/${id}/routing`);
        return {
          path: `/v1/complaints/${id}/classification`,
          body: { reason: '探针', severity: severity === 'general' ? 'important' : 'general' },
        };
      },
    ),
    ...onBoth(
      'POST /v1/complaints/{id}/assignment',
      ['groupAdmin', 'mallAdmin', 'plainKey', 'propertyHead', 'regionalGm', 'hq'],
      (id, place) => ({
        path: `/v1/complaints/${id}/assignment`,
        body: { handlerId: place === 'mall' ? 's-wang-lei' : 's-huang-mei', reason: '探针' },
      }),
    ),
    ...onBoth(
      'POST /v1/complaints/{id}/merge',
      ['groupAdmin', 'mallAdmin', 'plainKey', 'propertyHead', 'regionalGm', 'hq'],
      // Into itself: refused by routing (a 4xx past authorisation) without merging anything.
      (id) => ({ path: `/v1/complaints/${id}/merge`, body: { into: id, reason: '探针' } }),
    ),
    ...onBoth(
      'POST /v1/complaints/{id}/unmerge',
      ['groupAdmin', 'mallAdmin', 'plainKey', 'propertyHead', 'regionalGm', 'hq'],
      (id) => ({ path: `/v1/complaints/${id}/unmerge`, body: { reason: '探针' } }),
    ),
    ...lifecycle('acknowledge', { reply: '您好，已收到' }),
    ...lifecycle('investigation', { note: '开始调查' }),
    ...lifecycle('plan', { plan: '更换电梯控制板' }),
    ...lifecycle('plan/approve', { note: '同意' }, true),
    ...lifecycle('plan/reject', { reason: '不同意' }, true),
    ...lifecycle('extensions', { until: '2027-01-31T10:00:00+08:00', reason: '等配件' }),
    ...lifecycle('extensions/1/approve', { note: '同意' }, true),
    ...lifecycle('extensions/1/reject', { reason: '不同意' }, true),
    ...lifecycle('await-complainant', { reason: '等投诉人提供照片' }),
    ...lifecycle('await-outside-body', { body: '自来水公司', reason: '市政停水' }),
    ...lifecycle('progress', { message: '配件已订购，周五更换' }),
    ...lifecycle('resume', { note: '已收到' }),
    ...lifecycle('resolve', { liability: 'responsible', result: '已修复' }),
    // Calling back is for supervisors and up (SPEC §5), like approving.
    ...lifecycle('callbacks', { outcome: 'attempt', method: 'phone', reason: '无人接听' }, true),
    ...lifecycle('survey', {}, true),
    ...lifecycle('reopen', { reason: '投诉人不满意' }),
    ...lifecycle('close', { note: '结案' }),
    // Supervision from above (督办): property heads and up give it and decide on the answer; whoever acts answers.
    ...lifecycle('supervision', { instructions: '三日内书面答复业主', dueAt: '2030-01-31T10:00:00+08:00' }, true),
    ...lifecycle('supervision/answer', { answer: '已书面答复' }),
    ...lifecycle('supervision/accept', { note: '同意' }, true),
    ...lifecycle('supervision/return', { reason: '不够具体' }, true),
    // Quality spot checks: the quality department's staff only (no staff caller here is); keys name
    // the mall's quality inspector, who does not see the estate. Intake answers 409: not closed.
    ...(['mall', 'estate'] as const).map((place): Probe => ({
      op: 'POST /v1/complaints/{id}/spot-checks',
      variant: place,
      expect: onComplaint(place, place === 'mall' ? ['groupAdmin', 'mallAdmin'] : []),
      request: (who) => ({
        path: `/v1/complaints/${complaint[place]}/spot-checks`,
        body: { verdict: 'conforming', findings: '处理规范', ...(KEYS.includes(who) ? { staffId: 's-xu-jing' } : {}) },
      }),
    })),
    ...onBoth(
      'POST /v1/complaints/{id}/personal-data/reveal',
      // Keys: admin keys only. Staff: the handling department (not the desk) and property heads up.
      ['groupAdmin', 'mallAdmin', 'propertyHead', 'regionalGm', 'hq'],
      (id) => ({
        path: `/v1/complaints/${id}/personal-data/reveal`,
        body: { fields: ['contact'], reason: '回访投诉人' },
      }),
    ),
    // Repair work orders: whoever sees the property sees them; the desk, engineering, their
    // assignee and property heads up work on them (the probe's frontline is the mall's desk).
    { op: 'GET /v1/work-orders', expect: everyone, request: () => ({ path: '/v1/work-orders?limit=200' }) },
    ...(['mall', 'estate'] as const).flatMap((place): Probe[] => [
      {
        op: 'POST /v1/work-orders',
        variant: place,
        expect: expect_([...KEYS, ...STAFF], 400, {
          otherGroupAdmin: 400,
          ...(place === 'estate' ? { mallAdmin: 400, frontline: 400, propertyHead: 400, regionalGm: 400 } : {}),
        }),
        request: () => ({ path: '/v1/work-orders', body: workOrderBody(propertyOf[place]) }),
      },
      {
        op: 'GET /v1/work-orders/{id}',
        variant: place,
        expect: onComplaint(place, 'everyone'),
        request: () => ({ path: `/v1/work-orders/${workOrder[place]}` }),
      },
      ...(
        [
          ['dispatch', {}],
          ['arrive', {}],
          ['complete', { workDone: '更换密封圈' }],
          ['confirm', { rating: 5 }],
        ] as const
      ).map(([step, body]): Probe => ({
        op: `POST /v1/work-orders/{id}/${step}`,
        variant: place,
        // Allowed callers pass to intake, which answers 409 when the step is not the next one.
        expect: onComplaint(place, 'everyone'),
        request: () => ({ path: `/v1/work-orders/${workOrder[place]}/${step}`, body }),
      })),
    ]),
    ...onBoth('GET /v1/complaints/{id}/work-orders', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/work-orders`,
    })),
    ...onBoth('POST /v1/complaints/{id}/work-orders', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/work-orders`,
      body: { location: 'B1 车库', trade: 'civil', urgency: 'normal', description: '地面破损' },
    })),
    ...onBoth('POST /v1/complaints/{id}/withdraw', 'everyone', (id) => ({
      path: `/v1/complaints/${id}/withdraw`,
      body: { reason: '投诉人撤回' },
    })),

    // Webhooks belong to keys; each key sees only its own.
    { op: 'GET /v1/webhooks/subscriptions', expect: keysOnly, request: () => ({ path: '/v1/webhooks/subscriptions' }) },
    {
      op: 'POST /v1/webhooks/subscriptions',
      expect: keysOnly,
      request: () => ({
        path: '/v1/webhooks/subscriptions',
        body: { url: 'https://hooks.example.com/probe', secret: 'probe-secret-probe-secret' },
      }),
    },
    {
      op: 'DELETE /v1/webhooks/subscriptions/{id}',
      variant: "another key's",
      expect: expect_([], 403, { otherGroupAdmin: 404, mallAdmin: 404, plainKey: 404, groupAdmin: 404 }),
      request: async () => ({
        path: `/v1/webhooks/subscriptions/${await subscribe(bystanderKey, 'https://hooks.example.com/x')}`,
        method: 'DELETE',
      }),
    },
    {
      op: 'DELETE /v1/webhooks/subscriptions/{id}',
      variant: 'its own',
      expect: keysOnly,
      request: async (who) => ({
        path: `/v1/webhooks/subscriptions/${KEYS.includes(who) ? await subscribe(credential[who]!, 'https://hooks.example.com/own') : 'none'}`,
        method: 'DELETE',
      }),
    },
    { op: 'GET /v1/webhooks/deliveries', expect: keysOnly, request: () => ({ path: '/v1/webhooks/deliveries' }) },
    {
      op: 'POST /v1/webhooks/deliveries/{id}/replay',
      expect: expect_(['groupAdmin'], 403, { otherGroupAdmin: 404, mallAdmin: 404, plainKey: 404 }),
      request: () => ({ path: `/v1/webhooks/deliveries/${deliveryId}/replay`, body: {} }),
    },
    {
      op: 'GET /v1/admin/webhooks/subscriptions',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/webhooks/subscriptions' }),
    },
    {
      op: 'DELETE /v1/admin/webhooks/subscriptions/{id}',
      expect: expect_(GROUP_ADMINS, 403, { otherGroupAdmin: 404 }),
      request: async () => ({
        path: `/v1/admin/webhooks/subscriptions/${await subscribe(bystanderKey, 'https://hooks.example.com/y')}`,
        method: 'DELETE',
      }),
    },

    // Keys: within the caller's own scope.
    { op: 'GET /v1/admin/api-keys', expect: propertyAdmins('mall'), request: () => ({ path: '/v1/admin/api-keys' }) },
    {
      op: 'POST /v1/admin/api-keys',
      variant: 'limited to the mall',
      expect: propertyAdmins('mall'),
      request: () => ({ path: '/v1/admin/api-keys', body: { name: 'probe', propertyIds: ['sh-mall'] } }),
    },
    {
      op: 'POST /v1/admin/api-keys',
      variant: 'the whole group',
      // A key limited to properties makes keys within them only.
      expect: propertyAdmins('mall', { mallAdmin: 400 }),
      request: () => ({ path: '/v1/admin/api-keys', body: { name: 'probe' } }),
    },
    {
      op: 'DELETE /v1/admin/api-keys/{id}',
      variant: 'a mall key',
      expect: propertyAdmins('mall', { otherGroupAdmin: 404 }),
      request: async () => ({
        path: `/v1/admin/api-keys/${(await makeKey({ name: 'to revoke', propertyIds: ['sh-mall'] })).id}`,
        method: 'DELETE',
      }),
    },
    {
      op: 'DELETE /v1/admin/api-keys/{id}',
      variant: 'an estate key',
      expect: propertyAdmins('estate', { otherGroupAdmin: 404 }),
      request: async () => ({
        path: `/v1/admin/api-keys/${(await makeKey({ name: 'to revoke', propertyIds: ['gz-estate'] })).id}`,
        method: 'DELETE',
      }),
    },

    // Master data: the group's admins, and a property's admin key for that property.
    { op: 'GET /v1/admin/directory', expect: propertyAdmins('mall'), request: () => ({ path: '/v1/admin/directory' }) },
    {
      op: 'PUT /v1/admin/regions/{id}',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/regions/east', method: 'PUT', body: { name: '华东区域 East China' } }),
    },
    ...(['mall', 'estate'] as const).flatMap((place): Probe[] => {
      const property = {
        mall: { regionId: 'east', name: '浦江商业广场 Pujiang Plaza', kind: 'mall', code: 'SHM01' },
        estate: {
          regionId: 'south',
          name: '珠江花园小区 Pearl River Gardens',
          kind: 'residential_estate',
          code: 'GZE01',
        },
      }[place];
      const staffOf = {
        mall: { id: 's-wang-lei', departmentId: 'sh-mall-engineering', name: '王磊 Wang Lei' },
        estate: { id: 's-huang-mei', departmentId: 'gz-estate-butler', name: '黄梅 Huang Mei' },
      }[place];
      const propertyId = propertyOf[place];
      return [
        {
          op: 'PUT /v1/admin/properties/{id}',
          variant: place,
          expect: directoryAdmins(place),
          request: () => ({
            path: `/v1/admin/properties/${propertyId}`,
            method: 'PUT',
            body: { ...property, timeZone: 'Asia/Shanghai' },
          }),
        },
        {
          op: 'PUT /v1/admin/departments/{id}',
          variant: place,
          expect: directoryAdmins(place),
          request: () => ({
            path: `/v1/admin/departments/${propertyId}-quality`,
            method: 'PUT',
            body: { propertyId, name: '品质部 Quality', kind: 'quality' },
          }),
        },
        {
          op: 'PUT /v1/admin/staff/{id}',
          variant: place,
          expect: directoryAdmins(place),
          request: () => ({
            path: `/v1/admin/staff/${staffOf.id}`,
            method: 'PUT',
            body: {
              name: staffOf.name,
              roleLevel: 'frontline',
              departmentId: staffOf.departmentId,
              propertyIds: [propertyId],
              onDuty: true,
            },
          }),
        },
        {
          op: 'GET /v1/policies/properties/{id}',
          variant: place,
          // Keys read every policy in their sight; staff those of their properties.
          expect: expect_(
            [...KEYS, ...STAFF],
            404,
            place === 'estate'
              ? { otherGroupAdmin: 404, mallAdmin: 404, frontline: 404, propertyHead: 404, regionalGm: 404 }
              : {},
          ),
          request: () => ({ path: `/v1/policies/properties/${propertyId}` }),
        },
        {
          op: 'PUT /v1/policies/properties/{id}',
          variant: place,
          expect: propertyAdmins(place, place === 'estate' ? { otherGroupAdmin: 404 } : {}),
          request: () => samePolicy(`/v1/policies/properties/${propertyId}`),
        },
      ];
    }),

    // What shapes the group or a region: its admins only.
    { op: 'PUT /v1/policies', expect: groupAdmins, request: () => samePolicy('/v1/policies') },
    {
      op: 'GET /v1/policies/regions/{id}',
      expect: expect_([...KEYS, 'regionalGm', 'hq'], 404),
      request: () => ({ path: '/v1/policies/regions/east' }),
    },
    {
      op: 'PUT /v1/policies/regions/{id}',
      expect: groupAdmins,
      request: () => samePolicy('/v1/policies/regions/east'),
    },
    { op: 'GET /v1/calendars/{regionId}', expect: everyone, request: () => ({ path: '/v1/calendars/east' }) },
    { op: 'PUT /v1/calendars/{regionId}', expect: groupAdmins, request: () => sameCalendar('/v1/calendars/east') },
    {
      op: 'GET /v1/admin/notification-settings',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/notification-settings' }),
    },
    {
      op: 'PUT /v1/admin/notification-settings',
      expect: groupAdmins,
      request: () => sameAsNow('/v1/admin/notification-settings'),
    },
    { op: 'GET /v1/admin/routing-rules', expect: groupAdmins, request: () => ({ path: '/v1/admin/routing-rules' }) },
    { op: 'PUT /v1/admin/routing-rules', expect: groupAdmins, request: () => sameAsNow('/v1/admin/routing-rules') },
    {
      op: 'GET /v1/admin/report-settings',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/report-settings' }),
    },
    { op: 'PUT /v1/admin/report-settings', expect: groupAdmins, request: () => sameAsNow('/v1/admin/report-settings') },
    {
      op: 'GET /v1/admin/reports/rebuild',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/reports/rebuild' }),
    },
    {
      op: 'POST /v1/admin/reports/rebuild',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/reports/rebuild', body: {} }),
    },
    {
      op: 'PUT /v1/admin/canned-replies',
      expect: groupAdmins,
      request: async () => ({
        path: '/v1/admin/canned-replies',
        method: 'PUT',
        body: await read<object>('/v1/canned-replies'),
      }),
    },
    // Deactivation, on a staff member of the mall made for each caller (a limited admin key may, for its own property).
    ...(['deactivate', 'reactivate'] as const).map((change): Probe => ({
      op: `POST /v1/admin/{kind}/{id}/${change}`,
      expect: expect_(GROUP_ADMINS, 403, { mallAdmin: 'ok', otherGroupAdmin: 404 }),
      request: async (who) => {
        const id = `s-probe-${change}-${who}`;
        const made = await call(url(`/v1/admin/staff/${id}`), platform.apiKey, {
          method: 'PUT',
          body: { name: id, roleLevel: 'frontline', propertyIds: ['sh-mall'] },
        });
        expect(made.status).toBe(200);
        return { path: `/v1/admin/staff/${id}/${change}`, body: change === 'deactivate' ? { reason: 'probe' } : {} };
      },
    })),
    {
      op: 'GET /v1/admin/directory/export',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/directory/export?format=csv' }),
    },
    {
      op: 'POST /v1/admin/directory/import',
      expect: groupAdmins,
      request: () => {
        const form = new FormData();
        form.append('file', new Blob(['type,id,name\nregion,east,华东区域 East China\n']), 'directory.csv');
        return { path: '/v1/admin/directory/import?dryRun=true', raw: { body: form } };
      },
    },
    {
      op: 'GET /v1/admin/notification-templates',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/notification-templates' }),
    },
    {
      op: 'POST /v1/admin/notification-templates/preview',
      expect: groupAdmins,
      request: () => ({
        path: '/v1/admin/notification-templates/preview',
        body: { template: 'closed', language: 'en', subject: 'Closed: {number}', text: 'Thank you.' },
      }),
    },
    {
      op: 'PUT /v1/admin/notification-templates/{template}/{language}',
      expect: groupAdmins,
      request: () => ({
        path: '/v1/admin/notification-templates/closed/en',
        method: 'PUT',
        body: { subject: 'Closed: {number}', text: 'Your complaint {number} is closed.' },
      }),
    },
    {
      op: 'DELETE /v1/admin/notification-templates/{template}/{language}',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/notification-templates/closed/en', method: 'DELETE' }),
    },
    { op: 'GET /v1/admin/access-log', expect: groupAdmins, request: () => ({ path: '/v1/admin/access-log' }) },
    { op: 'GET /v1/admin/audit', expect: groupAdmins, request: () => ({ path: '/v1/admin/audit?limit=200' }) },
    {
      op: 'POST /v1/admin/erasure-requests',
      expect: groupAdmins,
      request: () => ({ path: '/v1/admin/erasure-requests', body: { contact: '13900000000' } }),
    },
    {
      op: 'GET /v1/admin/erasure-requests/{id}',
      expect: expect_(GROUP_ADMINS, 403, { otherGroupAdmin: 404 }),
      request: async () => {
        const receipt = await json<{ id: string }>(
          await call(url('/v1/admin/erasure-requests'), platform.apiKey, { body: { contact: '13900000001' } }),
          202,
        );
        return { path: `/v1/admin/erasure-requests/${receipt.id}` };
      },
    },

    // Reports: keys in their scope (a limited key one property at a time), staff from property head up.
    ...(['group', 'property:sh-mall', 'property:gz-estate'] as const).flatMap((scope): Probe[] => {
      const expected: Expectations =
        scope === 'group'
          ? expect_(['groupAdmin', 'plainKey', 'hq'], 403, { otherGroupAdmin: 'ok' })
          : scope === 'property:sh-mall'
            ? expect_([...KEYS, 'propertyHead', 'regionalGm', 'hq'], 403)
            : expect_(['otherGroupAdmin', 'groupAdmin', 'plainKey', 'hq'], 403, {
                mallAdmin: 404,
                frontline: 404,
                propertyHead: 404,
                regionalGm: 404,
              });
      return [
        {
          op: 'GET /v1/reports/{kind}/{key}',
          variant: scope,
          expect: expected,
          request: () => ({ path: `/v1/reports/week/${reportWeek}?scope=${scope}` }),
        },
        {
          op: 'GET /v1/reports/{kind}/{key}/export',
          variant: scope,
          expect: expected,
          request: () => ({ path: `/v1/reports/week/${reportWeek}/export?scope=${scope}&format=csv` }),
        },
      ];
    }),
    {
      op: 'GET /v1/reports/figures',
      expect: everyone,
      request: () => ({ path: '/v1/reports/figures' }),
    },
    {
      op: 'GET /v1/reports/stored',
      expect: expect_(['groupAdmin', 'plainKey', 'hq'], 403, { otherGroupAdmin: 'ok' }),
      request: () => ({ path: '/v1/reports/stored' }),
    },
    {
      op: 'GET /v1/reports/stored/{kind}/{key}',
      // Nothing is stored for next year's week: past authorisation it is 404 for everyone.
      expect: expect_([], 403, { otherGroupAdmin: 404, groupAdmin: 404, plainKey: 404, hq: 404 }),
      request: () => ({ path: '/v1/reports/stored/week/2027-W49' }),
    },

    // The complainant's survey link: its signed token is the only credential, and no key or
    // sign-in opens a survey with a token of someone's making (the link's own are tested in lifecycle.e2e).
    ...(['GET', 'POST'] as const).map((method): Probe => ({
      op: `${method} /v1/surveys/{token}`,
      expect: Object.fromEntries(CALLERS.map((who) => [who, 404])) as Expectations,
      request: () => ({
        path: `/v1/surveys/${Buffer.from(JSON.stringify(['demo-group', complaint.mall, 1])).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`,
        method,
        ...(method === 'POST' ? { body: { satisfaction: 'satisfied' } } : {}),
      }),
    })),

    // The complainant's own view: the number and the contact's last four digits (or the token
    // they were answered with) are the credential; no key or sign-in opens another complaint's.
    {
      op: 'POST /v1/complainant-view',
      expect: Object.fromEntries(CALLERS.map((who) => [who, 404])) as Expectations,
      request: () => ({
        path: '/v1/complainant-view',
        method: 'POST',
        body: { number: 'NOPE-20260101-0001', contactLastFour: '0000' },
      }),
    },
    {
      op: 'GET /v1/complainant-view/{token}',
      expect: Object.fromEntries(CALLERS.map((who) => [who, 404])) as Expectations,
      request: () => ({
        path: `/v1/complainant-view/${Buffer.from(JSON.stringify(['demo-group', complaint.mall, Date.now() + 60_000])).toString('base64url')}.AAAAAAAAAAAAAAAAAAAAAA`,
      }),
    },

    // The platform operator's API: no group's key or staff member opens it, not even to learn
    // that a group exists (the operator's own credential is tested in groups.e2e).
    ...(
      [
        ['GET', '/v1/platform/groups'],
        ['POST', '/v1/platform/groups'],
        ['GET', '/v1/platform/groups/{id}'],
        ['PATCH', '/v1/platform/groups/{id}'],
        ['DELETE', '/v1/platform/groups/{id}'],
        ['POST', '/v1/platform/groups/{id}/suspend'],
        ['POST', '/v1/platform/groups/{id}/resume'],
        ['POST', '/v1/platform/groups/{id}/admin-keys'],
      ] as const
    ).map(([method, path]): Probe => ({
      op: `${method} ${path}`,
      expect: Object.fromEntries(CALLERS.map((who) => [who, 401])) as Expectations,
      request: () => ({
        path: path.replace('{id}', 'demo-group'),
        method,
        ...(method === 'POST' || method === 'PATCH' ? { body: { id: 'probe-group', name: 'probe' } } : {}),
      }),
    })),

    ...handoverProbes(),
    // Open to everyone: the platform's health for the orchestrator.
    ...['/healthz', '/readyz'].map((path): Probe => ({
      op: `GET ${path}`,
      expect: Object.fromEntries(CALLERS.map((who) => [who, 'ok'])) as Expectations,
      request: () => ({ path }),
    })),
    // Prometheus scrapes it inside the cluster; the chart's ingress does not expose it, and no label names a group.
    {
      op: 'GET /metrics',
      expect: Object.fromEntries(CALLERS.map((who) => [who, 'ok'])) as Expectations,
      request: () => ({ path: '/metrics' }),
    },
  ];

  /** The platform's latest logged errors: what a 500 was. */
  const errorsLogged = (): string[] =>
    Object.entries(platform.logFiles).flatMap(([process, file]) =>
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => /error/i.test(line))
        .slice(-3)
        .map((line) => `  ${process}: ${line.slice(0, 1500)}`),
    );

  it('has a probe for every operation of the OpenAPI document', async () => {
    const document = await read<{ paths: Record<string, Record<string, unknown>> }>('/openapi.json');
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'put', 'post', 'delete', 'patch'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const probed = new Set(probes().map((probe) => probe.op));
    expect(operations.filter((operation) => !probed.has(operation))).toEqual([]);
    expect([...probed].filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('answers each caller as the permission table says, and shows nobody what is out of their sight', async () => {
    const wrong: string[] = [];
    for (const probe of probes()) {
      // Refusals first: a caller let through may change what the next one finds (a closed complaint).
      const order = [...CALLERS].sort((a, b) => Number(probe.expect[a] === 'ok') - Number(probe.expect[b] === 'ok'));
      for (const who of order) {
        const request = await probe.request(who);
        const response = await send(who, request);
        const text = await response.text();
        const expected = probe.expect[who];
        const passed =
          expected === 'ok' ? response.status < 400 || response.status === 409 : response.status === expected;
        const name = `${probe.op}${probe.variant ? ` (${probe.variant})` : ''} as ${who}`;
        if (!passed) {
          wrong.push(`${name}: expected ${expected}, got ${response.status} ${text.slice(0, 200)}`);
          if (response.status >= 500) wrong.push(...errorsLogged());
        }
        // What a caller may read never names a complaint it cannot see.
        const unseen =
          who === 'otherGroupAdmin'
            ? [complaint.mall, complaint.estate]
            : MALL_ONLY.includes(who)
              ? [complaint.estate]
              : [];
        if (response.status < 400 && unseen.some((id) => text.includes(id))) {
          wrong.push(`${name}: the answer names a complaint out of its sight`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 600_000);

  it('shows a timeline edited in the database as broken, at the edited entry', async () => {
    const verify = async () =>
      read<{ valid: boolean; firstInvalidSeq?: number }>(`/v1/complaints/${complaint.estate}/timeline/verify`);
    expect(await verify()).toMatchObject({ valid: true });
    const entries = mongo.connection.useDb(platform.services.intake.database).collection('timeline_entries');
    // Someone with the database but not the timeline key backdates the registration.
    const edited = await entries.updateOne({ _id: `${complaint.estate}:1` as never }, { $set: { at: new Date(0) } });
    expect(edited.modifiedCount).toBe(1);
    expect(await verify()).toMatchObject({ valid: false, firstInvalidSeq: 1 });
  });
});
