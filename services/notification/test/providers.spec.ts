import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutgoingMessage, SendResult } from '../src/channels/channel';
import { AliyunSmsSender, type AliyunSmsConfig, type AliyunSmsOptions } from '../src/channels/sms/aliyun-sms';
import {
  WechatTemplateSender,
  type WechatTemplateConfig,
  type WechatTemplateOptions,
} from '../src/channels/wechat/wechat-template';
import { FAKE_ALIYUN, FAKE_WECHAT, type FakeProviders, startFakeProviders } from './fake-providers';
import { OutboundGuard } from '../src/channels/outbound-guard';

/** The fake providers listen on loopback, which senders refuse unless allowed. */
const LOOPBACK = new OutboundGuard(['127.0.0.0/8', '::1/128']);

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(async () => {
  await fake?.stop();
});

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: randomUUID(),
    to: '+8613900001234',
    templateKey: 'receipt',
    params: { number: 'C-2024-000123', property: '静安嘉里中心 A&B 座', eta: '48h (100% *on time*)' },
    subject: '',
    text: '',
    ...overrides,
  };
}

/** A URL nothing listens on: a port the system gave out and took back. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

function expectFailure(result: SendResult, retryable: boolean, error: string | RegExp): void {
  expect(result).toMatchObject({ ok: false, retryable });
  if (!result.ok) expect(result.error).toMatch(error);
}

describe('AliyunSmsSender against the fake Aliyun gateway', () => {
  function sender(config: Partial<AliyunSmsConfig> = {}, options: AliyunSmsOptions = {}): AliyunSmsSender {
    return new AliyunSmsSender(
      {
        endpoint: fake.aliyunEndpoint,
        ...FAKE_ALIYUN,
        signName: '嘉里物业',
        templates: { receipt: 'SMS_465820001', breach: 'SMS_465820002' },
        ...config,
      },
      { guard: LOOPBACK, ...options },
    );
  }
  const recorded = (deliveryId: string) => fake.sms.filter((sms) => sms.params.OutId === deliveryId);

  it('sends a signed SendSms that the gateway accepts, with the number, template and parameters', async () => {
    const sms = message();
    const result = await sender().send(sms);

    expect(result.ok).toBe(true);
    const [accepted] = recorded(sms.deliveryId);
    expect(accepted.params).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      Format: 'JSON',
      PhoneNumbers: '+8613900001234',
      SignName: '嘉里物业',
      TemplateCode: 'SMS_465820001',
      OutId: sms.deliveryId,
    });
    expect(JSON.parse(accepted.params.TemplateParam)).toEqual(sms.params);
    expect(result.providerResponse).toContain(accepted.bizId);
  });

  it('reaches no internal address unless allowed, and follows no redirect', async () => {
    const unguarded = new AliyunSmsSender({
      endpoint: fake.aliyunEndpoint,
      ...FAKE_ALIYUN,
      signName: '嘉里物业',
      templates: { receipt: 'SMS_465820001' },
    });
    expectFailure(await unguarded.send(message()), false, /Aliyun SMS refused: .*not reached from here/);

    const redirecting = http.createServer((_request, response) => {
      response.writeHead(307, { location: fake.aliyunEndpoint }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirecting.address() as AddressInfo;
      const result = await sender({ endpoint: `http://127.0.0.1:${port}/` }).send(message());
      expectFailure(result, false, 'Aliyun SMS answered HTTP 307');
    } finally {
      redirecting.close();
    }
  });

  it('fails for good when the secret is wrong (SignatureDoesNotMatch)', async () => {
    const sms = message();
    const result = await sender({ accessKeySecret: 'not-the-secret' }).send(sms);

    expectFailure(result, false, /^SignatureDoesNotMatch/);
    expect(result.providerResponse).toContain('SignatureDoesNotMatch');
    expect(recorded(sms.deliveryId)).toHaveLength(0);
  });

  it('fails for good on an unknown access key', async () => {
    const result = await sender({ accessKeyId: 'LTAIunknown' }).send(message());
    expectFailure(result, false, /^InvalidAccessKeyId\.NotFound/);
  });

  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 200],
    ['Throttling.User', 400],
    ['isp.SYSTEM_ERROR', 200],
    ['ServiceUnavailable', 503],
  ])('asks for a retry on %s, and the retry goes through', async (code, status) => {
    fake.failNext('aliyun', 1, code, status);
    const sms = message();
    const smsSender = sender();

    expectFailure(await smsSender.send(sms), true, code);
    expect(recorded(sms.deliveryId)).toHaveLength(0);
    expect((await smsSender.send(sms)).ok).toBe(true);
    expect(recorded(sms.deliveryId)).toHaveLength(1);
  });

  it('fails for good on a number the gateway refuses', async () => {
    const result = await sender().send(message({ to: '12345' }));
    expectFailure(result, false, /^isv\.MOBILE_NUMBER_ILLEGAL/);
  });

  it('fails for good on a template the gateway refuses', async () => {
    const result = await sender({ templates: { receipt: 'not-a-template' } }).send(message());
    expectFailure(result, false, /^isv\.SMS_TEMPLATE_ILLEGAL/);
  });

  it('fails for good, without calling the gateway, when the template key has no template code', async () => {
    const before = fake.sms.length;
    expectFailure(await sender().send(message({ templateKey: 'resolved' })), false, /"resolved"/);
    expectFailure(await sender().send(message({ templateKey: 'constructor' })), false, /"constructor"/);
    expect(fake.sms).toHaveLength(before);
  });

  it('signs each request with a new nonce and the time it is sent', async () => {
    const smsSender = sender({}, { nonce: () => 'always-the-same-nonce' });
    expect((await smsSender.send(message())).ok).toBe(true);
    // The gateway refuses a replayed nonce; the generator injected here produces one.
    expectFailure(await smsSender.send(message()), false, /^SignatureNonceUsed/);

    const late = sender({}, { now: () => new Date(Date.now() - 20 * 60_000) });
    expectFailure(await late.send(message()), false, /^InvalidTimeStamp\.Expired/);
  });

  it('asks for a retry when the gateway does not answer in time', async () => {
    fake.hangNext('aliyun', 1);
    const result = await sender({}, { timeoutMs: 300 }).send(message());
    expectFailure(result, true, /unreachable.*timeout/i);
  });

  it('asks for a retry when the gateway cannot be reached', async () => {
    const result = await sender({ endpoint: `${await closedPort()}/` }).send(message());
    expectFailure(result, true, /unreachable.*ECONNREFUSED/);
  });
});

describe('WechatTemplateSender against the fake WeChat API', () => {
  const openid = 'oFake_subscriber_0123456789A';
  function sender(config: Partial<WechatTemplateConfig> = {}, options: WechatTemplateOptions = {}) {
    return new WechatTemplateSender(
      {
        apiBase: fake.wechatApiBase,
        ...FAKE_WECHAT,
        templates: { receipt: 'tmpl-receipt-ngqIpbwh8bUfcSsECmogfXcV14J0' },
        ...config,
      },
      { guard: LOOPBACK, ...options },
    );
  }
  const wechatMessage = (overrides: Partial<OutgoingMessage> = {}) => message({ to: openid, ...overrides });
  const recorded = (deliveryId: string) => fake.wechat.filter((sent) => sent.body.client_msg_id === deliveryId);

  it('sends the template to the openid with the parameters as data', async () => {
    const sent = wechatMessage();
    const result = await sender().send(sent);

    expect(result.ok).toBe(true);
    const [accepted] = recorded(sent.deliveryId);
    expect(accepted.body).toEqual({
      touser: openid,
      template_id: 'tmpl-receipt-ngqIpbwh8bUfcSsECmogfXcV14J0',
      client_msg_id: sent.deliveryId,
      data: {
        number: { value: 'C-2024-000123' },
        property: { value: '静安嘉里中心 A&B 座' },
        eta: { value: '48h (100% *on time*)' },
      },
    });
    // msgid is above 2^53: it must come back digit for digit.
    expect(result.providerResponse).toContain(`"msgid":${accepted.msgid}`);
  });

  it('fetches one token and reuses it, also for concurrent sends', async () => {
    const before = fake.wechatTokens.length;
    const wechatSender = sender();
    const results = await Promise.all([1, 2, 3].map(() => wechatSender.send(wechatMessage())));
    await wechatSender.send(wechatMessage());

    expect(results.every((result) => result.ok)).toBe(true);
    expect(fake.wechatTokens).toHaveLength(before + 1);
  });

  it('replaces an expired token within the same send', async () => {
    const wechatSender = sender();
    expect((await wechatSender.send(wechatMessage())).ok).toBe(true);
    const first = fake.wechatTokens.at(-1);
    fake.expireWechatTokens();

    const sent = wechatMessage();
    expect((await wechatSender.send(sent)).ok).toBe(true);
    const second = fake.wechatTokens.at(-1);
    expect(second).not.toBe(first);
    expect(recorded(sent.deliveryId).map((accepted) => accepted.accessToken)).toEqual([second]);
  });

  it('renews the token shortly before expires_in, before WeChat refuses it', async () => {
    let now = Date.now();
    const wechatSender = sender({}, { now: () => now });
    await wechatSender.send(wechatMessage());
    const before = fake.wechatTokens.length;

    now += 60 * 60_000;
    await wechatSender.send(wechatMessage());
    expect(fake.wechatTokens).toHaveLength(before);

    now += 58 * 60_000; // 2 minutes before the 7200 s run out
    const sent = wechatMessage();
    expect((await wechatSender.send(sent)).ok).toBe(true);
    expect(fake.wechatTokens).toHaveLength(before + 1);
    expect(recorded(sent.deliveryId)[0].accessToken).toBe(fake.wechatTokens.at(-1));
  });

  it('asks for a retry when a fresh token is refused too, after trying it once', async () => {
    const wechatSender = sender();
    await wechatSender.send(wechatMessage());
    const before = fake.wechatTokens.length;
    fake.failNext('wechat', 2, 40001);

    expectFailure(await wechatSender.send(wechatMessage()), true, /^errcode 40001/);
    expect(fake.wechatTokens).toHaveLength(before + 1);
  });

  it.each([
    [43004, 'the user does not follow the account'],
    [40037, 'the template id is invalid'],
  ])('fails for good on %i (%s)', async (errcode) => {
    fake.failNext('wechat', 1, errcode);
    expectFailure(await sender().send(wechatMessage()), false, `errcode ${errcode}`);
  });

  it('fails for good on an openid WeChat does not know (40003)', async () => {
    expectFailure(await sender().send(wechatMessage({ to: 'not-an-openid' })), false, /^errcode 40003/);
  });

  it.each([
    [-1, 200],
    [45009, 200],
    [-1, 503],
  ])('asks for a retry on errcode %i (HTTP %i), and the retry goes through', async (errcode, status) => {
    fake.failNext('wechat', 1, errcode, status);
    const wechatSender = sender();
    const sent = wechatMessage();

    expectFailure(await wechatSender.send(sent), true, `errcode ${errcode}`);
    expect((await wechatSender.send(sent)).ok).toBe(true);
    expect(recorded(sent.deliveryId)).toHaveLength(1);
  });

  it('fails for good when the app secret is wrong', async () => {
    expectFailure(await sender({ appSecret: 'wrong' }).send(wechatMessage()), false, /^errcode 40125/);
  });

  it('fails for good, without calling WeChat, when the template key has no template id', async () => {
    const before = fake.wechat.length;
    expectFailure(await sender().send(wechatMessage({ templateKey: 'breach' })), false, /"breach"/);
    expect(fake.wechat).toHaveLength(before);
  });

  it('asks for a retry when WeChat does not answer in time or cannot be reached', async () => {
    const wechatSender = sender({}, { timeoutMs: 300 });
    await wechatSender.send(wechatMessage());
    fake.hangNext('wechat', 1);
    expectFailure(await wechatSender.send(wechatMessage()), true, /unreachable.*timeout/i);

    const unreachable = await sender({ apiBase: await closedPort() }).send(wechatMessage());
    expectFailure(unreachable, true, /unreachable.*ECONNREFUSED/);
  });
});
