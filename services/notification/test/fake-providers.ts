import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Alibaba Cloud SMS and the WeChat Official Account API played by one local HTTP server, strict
 * where the real ones are strict: Aliyun requests must carry a valid signature, a fresh timestamp
 * and an unused nonce; WeChat sends must carry a token this server issued and has not expired.
 * Its signature check is written apart from the adapter's, so a shared mistake cannot pass.
 */

/** The credentials the fake accepts. */
export const FAKE_ALIYUN = { accessKeyId: 'LTAIfakeAccessKeyId', accessKeySecret: 'fake-access-key-secret' } as const;
export const FAKE_WECHAT = { appId: 'wxfake0123456789ab', appSecret: 'fake-app-secret' } as const;

/** Aliyun rejects requests whose Timestamp is further than this from its own clock. */
const TIMESTAMP_WINDOW_MS = 15 * 60_000;
const TOKEN_LIFETIME_SECONDS = 7200;

export interface RecordedSms {
  /** Every request parameter, decoded (PhoneNumbers, TemplateCode, TemplateParam, OutId …). */
  params: Record<string, string>;
  bizId: string;
}

export interface WechatTemplateBody {
  touser: string;
  template_id: string;
  client_msg_id?: string;
  data: Record<string, { value: string }>;
}

export interface RecordedWechat {
  accessToken: string;
  body: WechatTemplateBody;
  msgid: string;
}

export type FakeProvider = 'aliyun' | 'wechat';

export interface FakeProviders {
  /** For AliyunSmsConfig.endpoint. */
  aliyunEndpoint: string;
  /** For WechatTemplateConfig.apiBase. */
  wechatApiBase: string;
  /** Accepted requests, oldest first. */
  sms: RecordedSms[];
  wechat: RecordedWechat[];
  /** Every WeChat access token issued, oldest first. */
  wechatTokens: string[];
  /**
   * The next `count` correctly authenticated requests fail with `code` (an Aliyun Code or a
   * WeChat errcode). WeChat failures hit template sends only, never token requests.
   */
  failNext(provider: FakeProvider, count: number, code: string | number, httpStatus?: number): void;
  /** The next `count` requests get no answer until `stop`, for timeouts. */
  hangNext(provider: FakeProvider, count: number): void;
  /** Every token issued so far answers 42001 (access_token expired) from now on. */
  expireWechatTokens(): void;
  stop(): Promise<void>;
}

type Trouble = { code: string | number; status: number } | 'hang';

interface Answer {
  status: number;
  body: string;
}

export async function startFakeProviders(): Promise<FakeProviders> {
  const sms: RecordedSms[] = [];
  const wechat: RecordedWechat[] = [];
  const wechatTokens: string[] = [];
  const tokenState = new Map<string, 'live' | 'expired'>();
  const usedNonces = new Set<string>();
  const trouble: Record<FakeProvider, Trouble[]> = { aliyun: [], wechat: [] };
  // Above 2^53, so an adapter that parsed and re-printed msgid would change it.
  let nextMsgid = 9_007_199_254_740_993n;

  function aliyunError(status: number, code: string, message: string): Answer {
    return { status, body: JSON.stringify({ RequestId: randomUUID(), Code: code, Message: message }) };
  }

  function aliyun(method: string, body: string): Answer | 'hang' {
    if (method !== 'POST') return aliyunError(400, 'UnsupportedHTTPMethod', 'this fake takes POST only');
    const params = Object.fromEntries(new URLSearchParams(body));
    const required = ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp', 'PhoneNumbers', 'SignName'];
    const missing = required.find((name) => !params[name]);
    if (missing) return aliyunError(400, 'MissingParameter', `${missing} is mandatory for this action.`);
    if (params.AccessKeyId !== FAKE_ALIYUN.accessKeyId) {
      return aliyunError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
      return aliyunError(400, 'InvalidParameter', 'SignatureMethod and SignatureVersion must be HMAC-SHA1 and 1.0.');
    }
    const { Signature: signature, ...signed } = params;
    if (signature !== signatureOf('POST', signed, FAKE_ALIYUN.accessKeySecret)) {
      return aliyunError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(params.Timestamp)) {
      return aliyunError(
        400,
        'InvalidTimeStamp.Format',
        'Specified time stamp does not conform to the ISO8601 format.',
      );
    }
    if (Math.abs(Date.parse(params.Timestamp) - Date.now()) > TIMESTAMP_WINDOW_MS) {
      return aliyunError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date header is expired.');
    }
    if (usedNonces.has(params.SignatureNonce)) {
      return aliyunError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    usedNonces.add(params.SignatureNonce);
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25') {
      return aliyunError(
        404,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    }
    const injected = trouble.aliyun.shift();
    if (injected === 'hang') return 'hang';
    if (injected) return aliyunError(injected.status, String(injected.code), 'injected by the test');

    if (!/^(\+86|0086|86)?1\d{10}$/.test(params.PhoneNumbers)) {
      return aliyunError(200, 'isv.MOBILE_NUMBER_ILLEGAL', `Illegal phone number: ${params.PhoneNumbers}`);
    }
    if (!/^SMS_\d+$/.test(params.TemplateCode ?? '')) {
      return aliyunError(200, 'isv.SMS_TEMPLATE_ILLEGAL', 'The template does not exist or is not approved.');
    }
    if (!isStringRecord(parseJson(params.TemplateParam ?? '{}'))) {
      return aliyunError(200, 'isv.INVALID_JSON_PARAM', 'TemplateParam is not a JSON object of strings.');
    }
    const bizId = `${Date.now()}^${randomBytes(4).readUInt32BE()}`;
    sms.push({ params, bizId });
    return { status: 200, body: JSON.stringify({ RequestId: randomUUID(), Code: 'OK', Message: 'OK', BizId: bizId }) };
  }

  function wechatError(errcode: number, errmsg: string, status = 200): Answer {
    return { status, body: JSON.stringify({ errcode, errmsg }) };
  }

  function wechatApi(method: string, url: URL, body: string): Answer | 'hang' {
    if (method === 'GET' && url.pathname === '/cgi-bin/token') {
      if (url.searchParams.get('grant_type') !== 'client_credential') return wechatError(40002, 'invalid grant_type');
      if (url.searchParams.get('appid') !== FAKE_WECHAT.appId) return wechatError(40013, 'invalid appid');
      if (url.searchParams.get('secret') !== FAKE_WECHAT.appSecret) return wechatError(40125, 'invalid appsecret');
      const token = randomBytes(48).toString('base64url');
      tokenState.set(token, 'live');
      wechatTokens.push(token);
      return { status: 200, body: JSON.stringify({ access_token: token, expires_in: TOKEN_LIFETIME_SECONDS }) };
    }
    if (method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
      const token = url.searchParams.get('access_token') ?? '';
      if (!token) return wechatError(41001, 'access_token missing');
      const state = tokenState.get(token);
      if (state === undefined) return wechatError(40001, 'invalid credential, access_token is invalid or not latest');
      if (state === 'expired') return wechatError(42001, 'access_token expired');
      const injected = trouble.wechat.shift();
      if (injected === 'hang') return 'hang';
      if (injected) return wechatError(Number(injected.code), 'injected by the test', injected.status);

      const message = parseJson(body);
      if (!isTemplateBody(message)) return wechatError(47001, 'data format error');
      if (!/^[A-Za-z0-9_-]{28}$/.test(message.touser)) return wechatError(40003, 'invalid openid');
      if (!message.template_id) return wechatError(40037, 'invalid template_id');
      const msgid = String(nextMsgid++);
      wechat.push({ accessToken: token, body: message, msgid });
      // Written by hand: JSON.stringify cannot print a number this large exactly.
      return { status: 200, body: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}` };
    }
    return { status: 404, body: 'not found' };
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = await readBody(req);
      const method = req.method ?? 'GET';
      let answer: Answer | 'hang';
      if (url.pathname === '/aliyun/') answer = aliyun(method, body);
      else if (url.pathname.startsWith('/wechat/')) {
        url.pathname = url.pathname.slice('/wechat'.length);
        answer = wechatApi(method, url, body);
      } else answer = { status: 404, body: 'not found' };
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json;charset=utf-8' }).end(answer.body);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    aliyunEndpoint: `${base}/aliyun/`,
    wechatApiBase: `${base}/wechat`,
    sms,
    wechat,
    wechatTokens,
    failNext(provider, count, code, httpStatus = 200) {
      for (let i = 0; i < count; i++) trouble[provider].push({ code, status: httpStatus });
    },
    hangNext(provider, count) {
      for (let i = 0; i < count; i++) trouble[provider].push('hang');
    },
    expireWechatTokens() {
      for (const token of tokenState.keys()) tokenState.set(token, 'expired');
    },
    async stop() {
      // Hung requests keep their sockets open; close() alone would wait for them forever.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The Aliyun RPC v1 signature, byte by byte from the published rules: every UTF-8 byte
 * except A-Z a-z 0-9 - _ . ~ becomes %XY.
 */
function signatureOf(method: string, params: Record<string, string>, secret: string): string {
  const encode = (text: string): string =>
    [...Buffer.from(text, 'utf8')]
      .map((byte) =>
        /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
          ? String.fromCharCode(byte)
          : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('');
  const query = Object.entries(params)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .join('&');
  return createHmac('sha1', `${secret}&`)
    .update(`${method}&${encode('/')}&${encode(query)}`)
    .digest('base64');
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}

function isTemplateBody(value: unknown): value is WechatTemplateBody {
  if (typeof value !== 'object' || value === null) return false;
  const { touser, template_id, client_msg_id, data } = value as Record<string, unknown>;
  return (
    typeof touser === 'string' &&
    typeof template_id === 'string' &&
    (client_msg_id === undefined || typeof client_msg_id === 'string') &&
    typeof data === 'object' &&
    data !== null &&
    Object.values(data).every(
      (entry) =>
        typeof entry === 'object' && entry !== null && typeof (entry as { value?: unknown }).value === 'string',
    )
  );
}
