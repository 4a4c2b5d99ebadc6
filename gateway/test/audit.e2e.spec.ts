import { call, signInStaff, startTestPlatform, type RunningPlatform } from '@complaints/devstack';

interface Entry {
  id: string;
  at: string;
  actor: { kind: string; id: string; name: string };
  subject: string;
  target: string;
  action: string;
  before: unknown;
  after: unknown;
  outcome: string;
  status: number | null;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}

// Every change to a group's administration through the gateway, by keys, staff and the platform
// operator, read back from the group's audit: who, when, before and after, never a secret.
describe('the audit of administration', () => {
  let platform: RunningPlatform;
  const url = (path: string) => `${platform.gatewayUrl}${path}`;
  const audit = async (query: string, key = platform.apiKey): Promise<Page> => {
    const response = await call(url(`/v1/admin/audit?${query}`), key);
    expect(response.status).toBe(200);
    return (await response.json()) as Page;
  };

  beforeAll(async () => {
    platform = await startTestPlatform('audit');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('records a policy set by an admin key: the key, the region, the policy before and after', async () => {
    const { effective } = (await (await call(url('/v1/policies/regions/east'), platform.apiKey)).json()) as {
      effective: object;
    };
    const put = await call(url('/v1/policies/regions/east'), platform.apiKey, { method: 'PUT', body: effective });
    expect(put.status).toBe(200);
    const [entry] = (await audit('subject=policy&target=east')).items;
    expect(entry).toMatchObject({
      actor: { kind: 'partner', name: 'bootstrap' },
      action: 'PUT /v1/policies/regions/:id',
      outcome: 'done',
      before: { policy: null },
      after: { policy: effective },
    });
  });

  it('records a staff member’s change to the directory under their name, with the record before and after', async () => {
    const token = await signInStaff(platform.oidc, 's-guo-wei');
    const { staff } = (await (await call(url('/v1/admin/directory'), token)).json()) as {
      staff: { id: string; onDuty: boolean; [field: string]: unknown }[];
    };
    const { id, ...record } = staff.find((member) => member.id === 's-wang-lei') ?? { id: '' };
    const body = Object.fromEntries(
      Object.entries({ ...record, onDuty: false }).filter(([field]) =>
        [
          'name',
          'roleLevel',
          'departmentId',
          'propertyIds',
          'regionId',
          'onDuty',
          'email',
          'mobile',
          'wechatOpenId',
          'language',
        ].includes(field),
      ),
    );
    expect((await call(url(`/v1/admin/staff/${id}`), token, { method: 'PUT', body })).status).toBe(200);
    const [entry] = (await audit('subject=staff&target=s-wang-lei')).items;
    expect(entry).toMatchObject({
      actor: { kind: 'staff', id: 's-guo-wei', name: '郭伟 Guo Wei' },
      before: { id: 's-wang-lei', onDuty: true },
      after: { id: 's-wang-lei', onDuty: false },
    });
  });

  it('keeps no secret: a new key’s secret and the SMTP password are redacted or masked', async () => {
    const created = await call(url('/v1/admin/api-keys'), platform.apiKey, { body: { name: 'call centre' } });
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    const smtpPassword = 'smtp-password-never-in-the-audit';
    const settings = (await (await call(url('/v1/admin/notification-settings'), platform.apiKey)).json()) as Record<
      string,
      unknown
    >;
    const { isDefault: _, ...body } = settings;
    const saved = await call(url('/v1/admin/notification-settings'), platform.apiKey, {
      method: 'PUT',
      body: { ...body, email: { smtpUrl: `smtp://mailer:${smtpPassword}@127.0.0.1:2525`, from: 'desk@example.com' } },
    });
    expect(saved.status).toBe(200);
    expect((await call(url(`/v1/admin/api-keys/${id}`), platform.apiKey, { method: 'DELETE' })).status).toBe(204);

    const entries = (await audit('limit=200')).items;
    const text = JSON.stringify(entries);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(smtpPassword);
    const keyEntries = entries.filter((entry) => entry.subject === 'api_key');
    expect(keyEntries.map((entry) => entry.action)).toEqual([
      'DELETE /v1/admin/api-keys/:id',
      'POST /v1/admin/api-keys',
    ]);
    expect(keyEntries[1].after).toMatchObject({ id, name: 'call centre', secret: '[redacted]' });
    expect(keyEntries[0]).toMatchObject({ target: id, before: { revokedAt: null }, after: { id } });
    expect((keyEntries[0].after as { revokedAt: string | null }).revokedAt).not.toBeNull();
    const [settingsEntry] = entries.filter((entry) => entry.subject === 'notification_settings');
    expect(settingsEntry.after).toMatchObject({ email: { from: 'desk@example.com' } });
  });

  it('records a refused change as failed, with the status it was answered', async () => {
    const refused = await call(url('/v1/calendars/east'), platform.apiKey, {
      method: 'PUT',
      body: { workingDays: 'x' },
    });
    expect(refused.status).toBe(400);
    const [entry] = (await audit('subject=calendar')).items;
    expect(entry).toMatchObject({ target: 'east', outcome: 'failed', status: 400, after: null });
  });

  it('shows a group what the platform operator did to it', async () => {
    const operator = (path: string, body?: object) =>
      call(url(`/v1/platform/groups${path}`), platform.operatorKey, { method: 'POST', body: body ?? {} });
    const created = await operator('', { id: 'audited-group', name: '审计集团' });
    const { adminKey } = (await created.json()) as { adminKey: string };
    await operator('/audited-group/suspend');
    await operator('/audited-group/resume');
    const entries = (await audit('subject=group', adminKey)).items;
    expect(entries.map((entry) => [entry.action, entry.actor.kind])).toEqual([
      ['POST /v1/platform/groups/:id/resume', 'operator'],
      ['POST /v1/platform/groups/:id/suspend', 'operator'],
      ['POST /v1/platform/groups', 'operator'],
    ]);
    expect(entries[1]).toMatchObject({ before: { status: 'active' }, after: { status: 'suspended' } });
    expect(JSON.stringify(entries)).not.toContain(adminKey);
    // The other group's audit holds none of it.
    expect((await audit('subject=group')).items).toEqual([]);
  });

  it('edits a notification template with its variables checked and previewed, on record, and resets it', async () => {
    const templates = (await (await call(url('/v1/admin/notification-templates'), platform.apiKey)).json()) as {
      items: { template: string; variables: string[]; group: Record<string, unknown> }[];
    };
    expect(templates.items.find((item) => item.template === 'result')?.variables).toEqual(
      expect.arrayContaining(['number', 'result']),
    );
    const preview = await call(url('/v1/admin/notification-templates/preview'), platform.apiKey, {
      body: { template: 'result', language: 'zh-CN', subject: '{number} 办好了', text: '{number}：{result}' },
    });
    expect(await preview.json()).toEqual({
      subject: 'SHM01-20261206-0007 办好了',
      text: 'SHM01-20261206-0007：已更换损坏的灯具',
    });
    const unknown = await call(url('/v1/admin/notification-templates/result/zh-CN'), platform.apiKey, {
      method: 'PUT',
      body: { subject: '{number}', text: '请拨打 {hotline}' },
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toContain('unknown {hotline}');
    const saved = await call(url('/v1/admin/notification-templates/result/zh-CN'), platform.apiKey, {
      method: 'PUT',
      body: { subject: '{number} 办好了', text: '{number}：{result}' },
    });
    expect(((await saved.json()) as { group: Record<string, unknown> }).group).toEqual({
      'zh-CN': { subject: '{number} 办好了', text: '{number}：{result}' },
    });
    const [entry] = (await audit('subject=notification_template')).items;
    expect(entry).toMatchObject({ target: 'result/zh-CN', outcome: 'done', before: { group: {} } });
    const reset = await call(url('/v1/admin/notification-templates/result/zh-CN'), platform.apiKey, {
      method: 'DELETE',
    });
    expect(((await reset.json()) as { group: Record<string, unknown> }).group).toEqual({});
  });

  it('pages newest first without gaps or repeats', async () => {
    const all = (await audit('limit=200')).items.map((entry) => entry.id);
    const paged: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page = await audit(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      paged.push(...page.items.map((entry) => entry.id));
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThan(4);
  });
});
