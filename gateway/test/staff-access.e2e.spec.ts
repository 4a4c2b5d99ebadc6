import { generateKeyPairSync, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { importJWK, SignJWT, type JWK } from 'jose';
import { call, eventually, signInStaff, startTestPlatform, type RunningPlatform } from '@complaints/devstack';

interface Problem {
  status: number;
  detail?: string;
  invalidParams?: { name: string; reason: string }[];
}

// Staff sign in at the embedded OpenID Connect issuer (authorization code + PKCE over HTTP) and
// the gateway decides with the access policy, through the whole platform. The demo group: sh-mall
// and sh-tower in region east, gz-estate in region south (services/intake/seed/demo-group.json).
describe('staff sign-in and permissions', () => {
  let platform: RunningPlatform;
  const tokens: Record<string, string> = {};
  const complaints: Record<'mall' | 'tower' | 'estate' | 'secret', string> = {
    mall: '',
    tower: '',
    estate: '',
    secret: '',
  };

  const register = async (body: Record<string, unknown>): Promise<Response> =>
    call(`${platform.gatewayUrl}/v1/complaints`, platform.apiKey, {
      body: {
        channel: 'phone',
        complainant: { name: '张三', contact: '13800138000', type: 'consumer' },
        description: '停车场电梯停运半小时',
        ...body,
      },
    });
  const registered = async (body: Record<string, unknown>): Promise<string> => {
    const response = await register(body);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const read = (token: string, id: string) => call(`${platform.gatewayUrl}/v1/complaints/${id}`, token);
  const listed = async (token: string): Promise<string[]> => {
    const response = await call(`${platform.gatewayUrl}/v1/complaints?limit=100`, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);
  };

  /** A token signed with a key of the issuer's (or another) private JWKS, with the claims given. */
  async function forged(claims: { sub: string; aud: string; exp: number }, key?: JWK): Promise<string> {
    const [issuerKey] = (JSON.parse(fs.readFileSync(platform.oidc.keysFile, 'utf8')) as { keys: JWK[] }).keys;
    const jwk = key ?? issuerKey;
    return new SignJWT({ scope: 'complaints' })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: jwk.kid })
      .setIssuer(platform.oidc.issuerUrl)
      .setSubject(claims.sub)
      .setAudience(claims.aud)
      .setIssuedAt(claims.exp - 900)
      .setExpirationTime(claims.exp)
      .sign(await importJWK(jwk, 'RS256'));
  }

  beforeAll(async () => {
    platform = await startTestPlatform('staff-access');
    for (const staffId of [
      's-li-na',
      's-sun-li',
      's-chen-jie',
      's-liu-yang',
      's-gao-feng',
      's-ma-hui',
      's-guo-wei',
      's-he-jun',
      's-wu-fang',
    ]) {
      tokens[staffId] = await signInStaff(platform.oidc, staffId);
    }
    complaints.mall = await registered({ propertyId: 'sh-mall' });
    complaints.tower = await registered({ propertyId: 'sh-tower' });
    complaints.estate = await registered({ propertyId: 'gz-estate' });
    complaints.secret = await registered({
      propertyId: 'gz-estate',
      confidential: true,
      confidentialStaffIds: ['s-he-jun'],
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('accepts an access token of the embedded issuer for a seeded staff member', async () => {
    const response = await read(tokens['s-li-na'], complaints.mall);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(complaints.mall);
    await expect(signInStaff(platform.oidc, 's-li-na', 'not-the-password')).rejects.toThrow(/refused/);
  });

  it('tells staff and API keys who they are and what they may do on the group (GET /v1/me)', async () => {
    const me = async (token: string, query = '') => {
      const response = await call(`${platform.gatewayUrl}/v1/me${query}`, token);
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    expect(await me(tokens['s-li-na'])).toEqual({
      kind: 'staff',
      groupId: 'demo-group',
      staff: {
        id: 's-li-na',
        name: '李娜 Li Na',
        roleLevel: 'frontline',
        properties: [{ id: 'sh-mall', name: '浦江商业广场 Pujiang Plaza' }],
        region: null,
        department: { id: 'sh-mall-customer-service', name: '客服部 Customer service', kind: 'customer_service' },
        language: 'zh-CN',
      },
      apiKey: null,
      allowed: ['view'],
      scopeProperties: [{ id: 'sh-mall', name: '浦江商业广场 Pujiang Plaza', regionId: 'east' }],
      reportScopes: [],
    });
    const gm = await me(tokens['s-gao-feng']);
    expect(gm.staff).toMatchObject({ roleLevel: 'regional_gm', region: { id: 'east' }, properties: [] });
    expect(gm.allowed).toEqual(['view']);
    expect((gm.scopeProperties as { id: string }[]).map((property) => property.id)).toEqual(['sh-mall', 'sh-tower']);
    expect(gm.reportScopes).toEqual([
      { scope: 'region:east', name: '华东区域 East China' },
      { scope: 'property:sh-mall', name: '浦江商业广场 Pujiang Plaza' },
      { scope: 'property:sh-tower', name: '陆家嘴国际大厦 Lujiazui Tower' },
    ]);
    const hq = await me(tokens['s-guo-wei']);
    expect(hq.allowed).toEqual(expect.arrayContaining(['export', 'manage_master_data', 'audit_access_log']));
    expect((hq.reportScopes as { scope: string }[])[0].scope).toBe('group');
    // Staff act as themselves only.
    expect((await call(`${platform.gatewayUrl}/v1/me?actingAs=s-guo-wei`, tokens['s-li-na'])).status).toBe(403);

    // The platform's admin key, acting for a staff member (the console's developer sign-in).
    const key = await me(platform.apiKey, '?actingAs=s-liu-yang');
    expect(key).toMatchObject({
      kind: 'partner',
      groupId: 'demo-group',
      staff: { id: 's-liu-yang', roleLevel: 'property_head', properties: [{ id: 'sh-mall' }], department: null },
      apiKey: { properties: null, admin: true },
    });
    expect(key.allowed).toEqual(expect.arrayContaining(['export', 'manage_master_data', 'manage_api_keys']));
    expect((await me(platform.apiKey)).staff).toBeNull();
    expect((await call(`${platform.gatewayUrl}/v1/me?actingAs=s-nobody`, platform.apiKey)).status).toBe(404);
  });

  it('rejects expired tokens, tokens for another audience and tokens signed with an unknown key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { audience } = platform.oidc;
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const stranger = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomUUID() };
    const cases: [string, string, RegExp][] = [
      ['expired', await forged({ sub: 's-li-na', aud: audience, exp: now - 120 }), /expired/],
      ['wrong audience', await forged({ sub: 's-li-na', aud: 'urn:another:api', exp: now + 600 }), /aud/],
      ['unknown key', await forged({ sub: 's-li-na', aud: audience, exp: now + 600 }, stranger), /unknown key/],
    ];
    for (const [what, token, reason] of cases) {
      const response = await read(token, complaints.mall);
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as Problem).detail).toMatch(reason);
    }
    // Within the clock tolerance an expired token still passes; a valid token of no staff is refused.
    expect((await read(await forged({ sub: 's-li-na', aud: audience, exp: now - 5 }), complaints.mall)).status).toBe(
      200,
    );
    expect((await read(await forged({ sub: 's-nobody', aud: audience, exp: now + 600 }), complaints.mall)).status).toBe(
      403,
    );
  });

  it('shows frontline staff their property only: another property’s complaint does not exist', async () => {
    expect((await read(tokens['s-li-na'], complaints.mall)).status).toBe(200);
    const elsewhere = await read(tokens['s-li-na'], complaints.tower);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).toContain(`complaint ${complaints.tower}`);
    const mine = await listed(tokens['s-li-na']);
    expect(mine).toContain(complaints.mall);
    expect(mine).not.toContain(complaints.tower);
    expect(mine).not.toContain(complaints.estate);
    // Registering at another property is refused like an unknown one.
    const registration = await call(`${platform.gatewayUrl}/v1/complaints`, tokens['s-li-na'], {
      body: {
        propertyId: 'sh-tower',
        channel: 'walk_in',
        complainant: { name: '李四', contact: '13900139000', type: 'tenant' },
        description: '空调不制冷',
      },
    });
    expect(registration.status).toBe(400);
  });

  it('shows a regional GM their region and group headquarters everything', async () => {
    const east = await listed(tokens['s-gao-feng']);
    expect(east).toEqual(expect.arrayContaining([complaints.mall, complaints.tower]));
    expect(east).not.toContain(complaints.estate);
    expect((await read(tokens['s-gao-feng'], complaints.tower)).status).toBe(200);
    expect((await read(tokens['s-gao-feng'], complaints.estate)).status).toBe(404);

    const all = await listed(tokens['s-guo-wei']);
    expect(all).toEqual(expect.arrayContaining([complaints.mall, complaints.tower, complaints.estate]));
    for (const id of [complaints.mall, complaints.tower, complaints.estate]) {
      expect((await read(tokens['s-guo-wei'], id)).status).toBe(200);
    }
  });

  it('lets staff act as themselves only, and the timeline names them', async () => {
    const acknowledge = (body: Record<string, unknown>) =>
      call(`${platform.gatewayUrl}/v1/complaints/${complaints.mall}/acknowledge`, tokens['s-li-na'], { body });
    expect((await acknowledge({ reply: '您好', staffId: 's-zhao-min' })).status).toBe(403);
    expect((await acknowledge({ reply: '您好，已收到' })).status).toBe(200);
    const note = await call(`${platform.gatewayUrl}/v1/complaints/${complaints.mall}/notes`, tokens['s-li-na'], {
      body: { text: '已联系商户' },
    });
    expect(note.status).toBe(201);
    expect(((await note.json()) as { actor: { kind: string; id: string } }).actor).toMatchObject({
      kind: 'staff',
      id: 's-li-na',
    });
  });

  it('lets a manager see another department’s complaint but not act on it; the property head acts', async () => {
    const id = await registered({ propertyId: 'sh-mall', description: '保安态度差' });
    await eventually(async () => {
      const routing = await call(`${platform.gatewayUrl}/v1/complaints/${id}/routing`, platform.apiKey);
      return routing.status === 200 ? true : undefined;
    }, 'routed');
    const reclassified = await call(`${platform.gatewayUrl}/v1/complaints/${id}/classification`, platform.apiKey, {
      body: { department: 'security', reason: '安保部负责' },
    });
    expect(reclassified.status).toBe(200);
    await eventually(async () => {
      const response = await read(tokens['s-chen-jie'], id);
      return ((await response.json()) as { department: string | null }).department === 'security' ? true : undefined;
    }, 'the complaint belongs to security');
    // s-chen-jie manages operations at the mall; frontline staff may not override routing at all.
    expect((await read(tokens['s-chen-jie'], id)).status).toBe(200);
    const acknowledge = (token: string) =>
      call(`${platform.gatewayUrl}/v1/complaints/${id}/notes`, token, { body: { text: '跟进中' } });
    const refused = await acknowledge(tokens['s-chen-jie']);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).detail).toMatch(/another department/);
    expect((await acknowledge(tokens['s-liu-yang'])).status).toBe(201);
    const override = await call(`${platform.gatewayUrl}/v1/complaints/${id}/classification`, tokens['s-li-na'], {
      body: { severity: 'important', reason: '升级' },
    });
    expect(override.status).toBe(403);
  });

  it('reveals personal data to the property head, logged under their name, and not to another department', async () => {
    const id = await registered({ propertyId: 'sh-mall', description: '保安态度差' });
    await eventually(async () => {
      const routing = await call(`${platform.gatewayUrl}/v1/complaints/${id}/routing`, platform.apiKey);
      return routing.status === 200 ? true : undefined;
    }, 'routed');
    const reclassified = await call(`${platform.gatewayUrl}/v1/complaints/${id}/classification`, platform.apiKey, {
      body: { department: 'security', reason: '安保部负责' },
    });
    expect(reclassified.status).toBe(200);
    await eventually(async () => {
      const response = await read(tokens['s-chen-jie'], id);
      return ((await response.json()) as { department: string | null }).department === 'security' ? true : undefined;
    }, 'the complaint belongs to security');
    const shown = await read(tokens['s-liu-yang'], id);
    expect(((await shown.json()) as { complainant: { contact: string } }).complainant.contact).toBe('138****8000');

    const reveal = (token: string) =>
      call(`${platform.gatewayUrl}/v1/complaints/${id}/personal-data/reveal`, token, {
        body: { fields: ['contact'], reason: '回访投诉人' },
      });
    const refused = await reveal(tokens['s-chen-jie']);
    expect(refused.status).toBe(403);
    const revealed = await reveal(tokens['s-liu-yang']);
    expect(revealed.status).toBe(200);
    expect(((await revealed.json()) as { contact: string }).contact).toBe('13800138000');

    // Auditors at headquarters read who looked; the property head may not read the log.
    expect((await call(`${platform.gatewayUrl}/v1/admin/access-log`, tokens['s-liu-yang'])).status).toBe(403);
    const log = await call(`${platform.gatewayUrl}/v1/admin/access-log?complaintId=${id}`, tokens['s-guo-wei']);
    expect(log.status).toBe(200);
    const { items } = (await log.json()) as { items: { actor: { kind: string; id: string }; fields: string[] }[] };
    expect(items.map((entry) => ({ kind: entry.actor.kind, id: entry.actor.id, fields: entry.fields }))).toEqual([
      { kind: 'staff', id: 's-liu-yang', fields: ['contact'] },
    ]);
  });

  it('keeps confidential complaints to the staff named on them, in reads and lists', async () => {
    expect((await read(tokens['s-he-jun'], complaints.secret)).status).toBe(200);
    expect(await listed(tokens['s-he-jun'])).toContain(complaints.secret);
    for (const staffId of ['s-ma-hui', 's-guo-wei']) {
      expect((await read(tokens[staffId], complaints.secret)).status).toBe(404);
      expect(await listed(tokens[staffId])).not.toContain(complaints.secret);
    }
    // The registering (admin) key still sees it; the named staff must be staff of the group.
    expect((await read(platform.apiKey, complaints.secret)).status).toBe(200);
    const unknown = await register({ propertyId: 'gz-estate', confidential: true, confidentialStaffIds: ['s-nobody'] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Problem).invalidParams).toEqual([
      { name: 'confidentialStaffIds.0', reason: 'is not a staff member of this group' },
    ]);
  });

  it('shows a confidential complaint to the staff member who registered it and to its handler', async () => {
    const response = await call(`${platform.gatewayUrl}/v1/complaints`, tokens['s-li-na'], {
      body: {
        channel: 'walk_in',
        propertyId: 'sh-mall',
        complainant: { name: '王五', contact: '13900139000', type: 'consumer' },
        description: '保密：投诉保安态度恶劣',
        confidential: true,
      },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect((await read(tokens['s-li-na'], id)).status).toBe(200);
    expect(await listed(tokens['s-li-na'])).toContain(id);

    // Routing names the handler; from then on they see it too, and nobody else unnamed does.
    const handlerId = await eventually(async () => {
      const complaint = (await (await read(platform.apiKey, id)).json()) as { handler: { id: string } | null };
      expect(complaint.handler).not.toBeNull();
      return complaint.handler!.id;
    }, 'the confidential complaint routed');
    const handlerToken = tokens[handlerId] ?? (await signInStaff(platform.oidc, handlerId));
    expect((await read(handlerToken, id)).status).toBe(200);
    expect(await listed(handlerToken)).toContain(id);
    const bystander = handlerId === 's-zhao-min' ? 's-chen-jie' : 's-zhao-min';
    const bystanderToken = await signInStaff(platform.oidc, bystander);
    expect((await read(bystanderToken, id)).status).toBe(404);
    expect(await listed(bystanderToken)).not.toContain(id);
  });

  it('lists the staff working where the caller sees, without their contact details (GET /v1/staff)', async () => {
    const staff = async (token: string, query: string) => {
      const response = await call(`${platform.gatewayUrl}/v1/staff${query}`, token);
      expect(response.status).toBe(200);
      return ((await response.json()) as { staff: Record<string, unknown>[] }).staff;
    };
    const atMall = await staff(tokens['s-li-na'], '?propertyId=sh-mall');
    expect(atMall.map((member) => member.id).sort()).toEqual(
      [
        's-chen-jie',
        's-gao-feng',
        's-guo-wei',
        's-li-na',
        's-liu-yang',
        's-wang-lei',
        's-xu-jing',
        's-zhao-min',
      ].sort(),
    );
    expect(atMall.find((member) => member.id === 's-li-na')).toEqual({
      id: 's-li-na',
      name: '李娜 Li Na',
      roleLevel: 'frontline',
      department: { id: 'sh-mall-customer-service', name: '客服部 Customer service' },
      propertyIds: ['sh-mall'],
      regionId: '',
    });
    // Out of her sight: another region's estate.
    expect(await staff(tokens['s-li-na'], '?propertyId=gz-estate')).toEqual([]);
    expect((await staff(tokens['s-ma-hui'], '?q=lin')).map((member) => member.id)).toEqual(['s-lin-tao']);
    expect((await call(`${platform.gatewayUrl}/v1/staff?bogus=1`, tokens['s-li-na'])).status).toBe(400);
  });

  it('keeps administration to group headquarters and reports to property heads and above in scope', async () => {
    expect((await call(`${platform.gatewayUrl}/v1/admin/api-keys`, tokens['s-li-na'])).status).toBe(403);
    expect((await call(`${platform.gatewayUrl}/v1/admin/directory`, tokens['s-gao-feng'])).status).toBe(403);
    expect((await call(`${platform.gatewayUrl}/v1/admin/api-keys`, tokens['s-guo-wei'])).status).toBe(200);
    expect((await call(`${platform.gatewayUrl}/v1/webhooks/subscriptions`, tokens['s-guo-wei'])).status).toBe(403);

    const report = (token: string, scope?: string) =>
      call(`${platform.gatewayUrl}/v1/reports/month/2026-11${scope ? `?scope=${scope}` : ''}`, token);
    expect((await report(tokens['s-li-na'])).status).toBe(403);
    expect((await report(tokens['s-gao-feng'], 'group')).status).toBe(403);
    expect((await report(tokens['s-gao-feng'], 'property:gz-estate')).status).toBe(404);
    expect((await report(tokens['s-gao-feng'])).status).toBe(200);
    expect((await report(tokens['s-wu-fang'], 'property:sh-tower')).status).toBe(200);
  });
});
