import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  call,
  eventually,
  HARBOUR_GROUP_SEED,
  putDirectory,
  signInStaff,
  startTestPlatform,
  type RunningPlatform,
} from '@complaints/devstack';

const run = promisify(execFile);
const CLI = path.join(__dirname, '..', 'dist', 'cli', 'platform.js');

interface Group {
  id: string;
  status: string;
  adminKey?: string;
}

// The platform operator creates a second group on a running platform (its own identity provider),
// its administrator loads the directory, its staff sign in and register; the first group sees
// nothing of it and goes on as before. Then suspension, resumption and removal.
describe('groups as data: onboarding a group without a restart', () => {
  let platform: RunningPlatform;
  let harbourKey = '';
  let harbourComplaint = '';
  const operator = (pathname: string, init: Parameters<typeof call>[2] = {}) =>
    call(`${platform.gatewayUrl}/v1/platform/groups${pathname}`, platform.operatorKey, init);
  const harbourIssuer = () => platform.moreIssuers.harbour;

  beforeAll(async () => {
    platform = await startTestPlatform('groups', { moreIssuers: { harbour: { seedFile: HARBOUR_GROUP_SEED } } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('keeps the platform API and the groups’ API apart: neither credential opens the other', async () => {
    expect((await call(`${platform.gatewayUrl}/v1/platform/groups`, platform.apiKey)).status).toBe(401);
    expect((await call(`${platform.gatewayUrl}/v1/platform/groups`, undefined)).status).toBe(401);
    expect((await call(`${platform.gatewayUrl}/v1/complaints`, platform.operatorKey)).status).toBe(401);
    const listed = (await (await operator('')).json()) as { items: Group[] };
    // The bootstrap group of the gateway's settings is a record like any other.
    expect(listed.items.map((group) => group.id)).toContain('demo-group');
  });

  it('creates a group with its first admin key and sign-in; its administrator loads the directory', async () => {
    const refused = await operator('', { body: { id: 'Harbour Group', name: '' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { invalidParams: { name: string }[] }).invalidParams.map((p) => p.name)).toEqual(
      expect.arrayContaining(['id', 'name']),
    );
    const created = await operator('', {
      body: { id: 'harbour', name: '海港置业', identityProvider: { issuerUrl: harbourIssuer().issuerUrl } },
    });
    expect(created.status).toBe(201);
    const group = (await created.json()) as Group;
    expect(group).toMatchObject({ id: 'harbour', status: 'active' });
    harbourKey = group.adminKey ?? '';
    expect((await operator('', { body: { id: 'harbour', name: 'again' } })).status).toBe(409);
    await putDirectory(platform.gatewayUrl, harbourKey, HARBOUR_GROUP_SEED);
  });

  it('signs the new group’s staff in at its own issuer; they register and see only their group', async () => {
    const token = await signInStaff(harbourIssuer(), 'h-zhou-qing');
    const me = (await (await call(`${platform.gatewayUrl}/v1/me`, token)).json()) as { groupId: string };
    expect(me.groupId).toBe('harbour');
    const registered = await call(`${platform.gatewayUrl}/v1/complaints`, token, {
      body: {
        channel: 'walk_in',
        propertyId: 'tj-mall',
        complainant: { name: '刘女士', contact: '13900139000', type: 'consumer' },
        description: '地下车库照明损坏',
      },
    });
    expect(registered.status).toBe(201);
    harbourComplaint = ((await registered.json()) as { id: string }).id;
    await eventually(async () => {
      const read = (await (await call(`${platform.gatewayUrl}/v1/complaints/${harbourComplaint}`, token)).json()) as {
        status: string;
      };
      return read.status === 'assigned' || undefined;
    }, 'the new group’s complaint routed');

    // The first group: its key and its staff see nothing of it, and work as before.
    expect((await call(`${platform.gatewayUrl}/v1/complaints/${harbourComplaint}`, platform.apiKey)).status).toBe(404);
    const demoToken = await signInStaff(platform.oidc, 's-li-na');
    expect((await call(`${platform.gatewayUrl}/v1/complaints/${harbourComplaint}`, demoToken)).status).toBe(404);
    const demoMe = (await (await call(`${platform.gatewayUrl}/v1/me`, demoToken)).json()) as { groupId: string };
    expect(demoMe.groupId).toBe('demo-group');
    // The new group's staff see their group's complaints only.
    const listed = (await (await call(`${platform.gatewayUrl}/v1/complaints?limit=100`, token)).json()) as {
      items: { id: string; propertyId: string }[];
    };
    expect(listed.items.map((item) => item.id)).toEqual([harbourComplaint]);
  });

  it('serves each group’s sign-in to the console and lets the console talk to every issuer', async () => {
    const config = (await (await fetch(`${platform.gatewayUrl}/console/config.json?group=harbour`)).json()) as {
      group: { name: string };
      oidc: { issuerUrl: string };
    };
    expect(config).toMatchObject({ group: { name: '海港置业' }, oidc: { issuerUrl: harbourIssuer().issuerUrl } });
    const page = await fetch(`${platform.gatewayUrl}/console/`);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain(new URL(harbourIssuer().issuerUrl).origin);
    expect(policy).toContain(new URL(platform.oidc.issuerUrl).origin);
  });

  it('refuses a second group at the same issuer unless each names the claim that tells them apart', async () => {
    const shared = await operator('', {
      body: { id: 'harbour-south', name: '海港南区', identityProvider: { issuerUrl: harbourIssuer().issuerUrl } },
    });
    expect(shared.status).toBe(400);
    expect(((await shared.json()) as { invalidParams: { name: string }[] }).invalidParams[0].name).toBe(
      'identityProvider.groupClaim',
    );
  });

  it('suspends a group: its key and its staff are refused, its data kept; resumed, all works again', async () => {
    const token = await signInStaff(harbourIssuer(), 'h-tang-yu');
    expect((await operator('/harbour', { method: 'DELETE' })).status).toBe(409);
    const suspended = await operator('/harbour/suspend', { method: 'POST' });
    expect(((await suspended.json()) as Group).status).toBe('suspended');
    expect((await call(`${platform.gatewayUrl}/v1/complaints/${harbourComplaint}`, harbourKey)).status).toBe(403);
    expect((await call(`${platform.gatewayUrl}/v1/complaints/${harbourComplaint}`, token)).status).toBe(403);
    const registration = await call(`${platform.gatewayUrl}/v1/complaints`, harbourKey, {
      body: {
        channel: 'phone',
        propertyId: 'tj-mall',
        complainant: { name: '王', contact: '13900000001' },
        description: '噪音',
      },
    });
    expect(registration.status).toBe(403);
    // The first group is untouched.
    expect((await call(`${platform.gatewayUrl}/v1/complaints?limit=1`, platform.apiKey)).status).toBe(200);

    await operator('/harbour/resume', { method: 'POST' });
    const read = await call(`${platform.gatewayUrl}/v1/complaints/${harbourComplaint}`, token);
    expect(read.status).toBe(200);
  });

  it('is run from the command line too, with the problem printed when refused', async () => {
    const env = { ...process.env, PLATFORM_URL: platform.gatewayUrl, PLATFORM_OPERATOR_KEY: platform.operatorKey };
    const { stdout } = await run(process.execPath, [CLI, 'groups', 'show', 'harbour'], { env });
    expect(JSON.parse(stdout)).toMatchObject({ id: 'harbour', status: 'active', name: '海港置业' });
    const failed = await run(process.execPath, [CLI, 'groups', 'remove', 'harbour'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('suspend it before removing it');
    const suspended = await run(process.execPath, [CLI, 'groups', 'suspend', 'harbour'], { env });
    expect(JSON.parse(suspended.stdout)).toMatchObject({ status: 'suspended' });
  });

  it('removes a suspended group for good: its keys revoked, its sign-in gone, its id never reused', async () => {
    const removed = await operator('/harbour', { method: 'DELETE' });
    expect(((await removed.json()) as Group).status).toBe('removed');
    expect((await call(`${platform.gatewayUrl}/v1/me`, harbourKey)).status).toBe(401);
    await expect(
      signInStaff(harbourIssuer(), 'h-zhou-qing').then((token) => call(`${platform.gatewayUrl}/v1/me`, token)),
    ).resolves.toMatchObject({ status: 401 });
    expect((await operator('/harbour/resume', { method: 'POST' })).status).toBe(409);
    expect((await operator('', { body: { id: 'harbour', name: 'reborn' } })).status).toBe(409);
  });
});
