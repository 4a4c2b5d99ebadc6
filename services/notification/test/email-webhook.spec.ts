import { createHmac, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as net from 'node:net';
import type { OutgoingMessage, SendResult } from '../src/channels/channel';
import { EMAIL_DELIVERY_HEADER, SmtpEmailSender } from '../src/channels/email/smtp-email';
import { OutboundGuard } from '../src/channels/outbound-guard';
import { WebhookSender } from '../src/channels/webhook/webhook-sender';
import {
  DELIVERY_HEADER,
  EVENT_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  signWebhook,
  verifyWebhook,
} from '../src/channels/webhook/webhook-signature';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    deliveryId: randomUUID(),
    to: 'resident@example.com',
    templateKey: 'receipt',
    params: {},
    subject: '',
    text: '',
    ...overrides,
  };
}

/** A port nothing listens on: one the system gave out and took back. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function expectFailure(result: SendResult, retryable: boolean, error: string | RegExp): void {
  expect(result).toMatchObject({ ok: false, retryable });
  if (!result.ok) expect(result.error).toMatch(error);
}

describe('SmtpEmailSender against a local SMTP server', () => {
  const from = '"嘉里物业 Complaints" <complaints@example.com>';
  let sink: SmtpSink;
  let sender: SmtpEmailSender;
  beforeAll(async () => {
    sink = await startSmtpSink();
    sender = new SmtpEmailSender({ smtpUrl: sink.url, from });
  });
  afterAll(async () => {
    sender?.close();
    await sink?.stop();
  });

  it('delivers a Chinese and English mail with its subject, text and delivery header', async () => {
    const mail = message({
      subject: '投诉已受理 Complaint received: C-2024-000123',
      text: '您好，您的投诉（编号 C-2024-000123）已受理，我们将在 48 小时内回复。\nHello, we received your complaint and will answer within 48 hours.',
    });
    const result = await sender.send(mail);

    expect(result).toMatchObject({ ok: true, providerResponse: expect.stringMatching(/^250 /) as unknown });
    const received = await sink.waitFor((m) => m.headers[EMAIL_DELIVERY_HEADER.toLowerCase()] === mail.deliveryId);
    expect(received.subject).toBe(mail.subject);
    expect(received.text.trimEnd()).toBe(mail.text);
    expect(received.to).toEqual(['resident@example.com']);
    expect(received.from).toBe('complaints@example.com');
    expect(received.headers.from).toContain('嘉里物业');
    expect(received.user).toBeUndefined();
  });

  it('logs in when the URL carries credentials', async () => {
    const port = new URL(sink.url).port;
    const withLogin = new SmtpEmailSender({ smtpUrl: `smtp://mailer:s3cr%40t@127.0.0.1:${port}`, from });
    try {
      const mail = message({ subject: 'login', text: 'sent after AUTH' });
      expect((await withLogin.send(mail)).ok).toBe(true);
      const received = await sink.waitFor((m) => m.headers[EMAIL_DELIVERY_HEADER.toLowerCase()] === mail.deliveryId);
      expect(received.user).toBe('mailer');
    } finally {
      withLogin.close();
    }
  });

  it('reports a 4xx rejection as retryable, and the next attempt goes through', async () => {
    const mail = message({ subject: '稍后重试', text: 'greylisted first' });
    sink.rejectNext(1, 451);

    const first = await sender.send(mail);
    expectFailure(first, true, /451/);
    expect(first.providerResponse).toMatch(/^451 /);
    expect(sink.mails.some((m) => m.headers[EMAIL_DELIVERY_HEADER.toLowerCase()] === mail.deliveryId)).toBe(false);

    expect((await sender.send(mail)).ok).toBe(true);
    await sink.waitFor((m) => m.headers[EMAIL_DELIVERY_HEADER.toLowerCase()] === mail.deliveryId);
  });

  it('reports a 5xx rejection (550 mailbox unavailable) as not retryable', async () => {
    sink.rejectNext(1, 550);
    const result = await sender.send(message({ to: 'gone@example.com', subject: 'x', text: 'y' }));
    expectFailure(result, false, /550/);
    expect(result.providerResponse).toMatch(/^550 /);
  });

  it('reports a server that refuses the connection as retryable', async () => {
    const down = new SmtpEmailSender({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}`, from });
    try {
      expectFailure(await down.send(message({ subject: 'x', text: 'y' })), true, /ECONNREFUSED/);
    } finally {
      down.close();
    }
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_test_secret';

  it('matches vectors computed with openssl', () => {
    // printf '%s' '<timestamp>.<body>' | openssl dgst -sha256 -hmac whsec_test_secret -hex
    expect(signWebhook(secret, 1_700_000_000, '{"id":"evt_01","type":"complaint.received"}')).toBe(
      'v1=3dcd08d54ae7461bfde639e65f82e64265cc14251df8ace53e57b1947d9152dc',
    );
    const chinese = '{"complaintNumber":"C-2024-000123","data":{"title":"电梯故障 lift broken"}}';
    const expected = 'v1=bc5092678cf02338712247ebbcbf6f439c7f2b7107eef76cb1d85a3a9ea5f608';
    expect(signWebhook(secret, 1_718_000_000, chinese)).toBe(expected);
    expect(signWebhook(secret, 1_718_000_000, Buffer.from(chinese, 'utf8'))).toBe(expected);
  });

  it('is the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    const body = JSON.stringify({ id: randomUUID(), note: '业主反映 noise at night' });
    const hex = createHmac('sha256', secret)
      .update(Buffer.from(`1718000000.${body}`, 'utf8'))
      .digest('hex');
    expect(signWebhook(secret, 1_718_000_000, body)).toBe(`v1=${hex}`);
  });

  it('verifies a fresh signature and refuses anything changed, stale or malformed', () => {
    const now = 1_718_000_000;
    const body = '{"type":"complaint.escalated"}';
    const signature = signWebhook(secret, now, body);

    expect(verifyWebhook(secret, signature, String(now), body, now)).toBe(true);
    expect(verifyWebhook(secret, signature, String(now), body, now + 300)).toBe(true);
    expect(verifyWebhook(secret, signature, String(now), body, now - 300)).toBe(true);

    expect(verifyWebhook(secret, signature, String(now), '{"type":"complaint.closed"}', now)).toBe(false);
    expect(verifyWebhook('another-secret', signature, String(now), body, now)).toBe(false);
    expect(verifyWebhook(secret, signature, String(now), body, now + 301)).toBe(false);
    expect(verifyWebhook(secret, signature, String(now), body, now - 301)).toBe(false);
    expect(verifyWebhook(secret, signature, String(now), body, now + 60, 30)).toBe(false);
    // The timestamp is signed: a fresh one on an old signature does not pass.
    expect(verifyWebhook(secret, signature, String(now + 1), body, now)).toBe(false);
    expect(verifyWebhook(secret, signature.slice(0, -1), String(now), body, now)).toBe(false);
    expect(verifyWebhook(secret, signature.toUpperCase(), String(now), body, now)).toBe(false);
    expect(verifyWebhook(secret, undefined, String(now), body, now)).toBe(false);
    expect(verifyWebhook(secret, signature, undefined, body, now)).toBe(false);
    expect(verifyWebhook(secret, signature, `${now}.5`, body, now)).toBe(false);
    expect(verifyWebhook(secret, signature, '', body, now)).toBe(false);
  });
});

/** The test's receivers listen on loopback, which a deployment's webhooks never reach unless listed. */
const LOOPBACK = new OutboundGuard(['127.0.0.0/8', '::1/128']);

describe('WebhookSender against a local receiver', () => {
  const secret = 'whsec_' + randomUUID();
  let receiver: WebhookReceiver;
  let sender: WebhookSender;
  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret });
    sender = new WebhookSender({ secret, guard: LOOPBACK });
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  function event(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
    const deliveryId = randomUUID();
    const body = JSON.stringify({
      id: randomUUID(),
      type: 'registered',
      occurredAt: '2024-06-10T08:00:00.000Z',
      groupId: 'grp_kerry',
      complaintId: randomUUID(),
      complaintNumber: 'C-2024-000123',
      data: { title: '电梯故障 lift out of order' },
    });
    return message({ deliveryId, to: receiver.url, templateKey: 'registered', body, ...overrides });
  }

  it('posts the body with the four headers and a signature the receiver verifies', async () => {
    const hook = event();
    const result = await sender.send(hook);

    expect(result).toEqual({ ok: true, providerResponse: '204 ' });
    const delivery = await receiver.waitFor((d) => d.headers[DELIVERY_HEADER.toLowerCase()] === hook.deliveryId);
    expect(delivery.method).toBe('POST');
    expect(delivery.path).toBe('/hooks');
    expect(delivery.body).toBe(hook.body);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers[EVENT_HEADER.toLowerCase()]).toBe('registered');
    expect(delivery.headers[SIGNATURE_HEADER.toLowerCase()]).toMatch(/^v1=[0-9a-f]{64}$/);
    const timestamp = Number(delivery.headers[TIMESTAMP_HEADER.toLowerCase()]);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(10);
    expect(delivery.verified).toBe(true);
  });

  it('gives a receiver with another secret a signature it refuses', async () => {
    const other = await startWebhookReceiver({ secret: 'whsec_someone_else' });
    try {
      const hook = event({ to: other.url });
      expect((await sender.send(hook)).ok).toBe(true);
      expect(other.received).toHaveLength(1);
      expect(other.received[0].verified).toBe(false);
    } finally {
      await other.stop();
    }
  });

  it('fails verification when the body is changed on the way', async () => {
    const hook = event();
    await sender.send(hook);
    const original = await receiver.waitFor((d) => d.headers[DELIVERY_HEADER.toLowerCase()] === hook.deliveryId);
    expect(original.verified).toBe(true);

    const tamperedId = randomUUID();
    await fetch(receiver.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: original.headers[SIGNATURE_HEADER.toLowerCase()],
        [TIMESTAMP_HEADER]: original.headers[TIMESTAMP_HEADER.toLowerCase()],
        [DELIVERY_HEADER]: tamperedId,
      },
      body: original.body.replace('C-2024-000123', 'C-2024-000124'),
    });
    const tampered = await receiver.waitFor((d) => d.headers[DELIVERY_HEADER.toLowerCase()] === tamperedId);
    expect(tampered.body).not.toBe(original.body);
    expect(tampered.verified).toBe(false);
  });

  it('fails verification when the timestamp is older than five minutes', async () => {
    const late = new WebhookSender({ secret, now: () => Date.now() - 301_000, guard: LOOPBACK });
    const hook = event();
    expect((await late.send(hook)).ok).toBe(true);
    const delivery = await receiver.waitFor((d) => d.headers[DELIVERY_HEADER.toLowerCase()] === hook.deliveryId);
    expect(delivery.verified).toBe(false);
  });

  it('reports 500 as retryable and 410 Gone as not', async () => {
    receiver.failNext(1, 500);
    const failed = await sender.send(event());
    expectFailure(failed, true, /HTTP 500/);
    expect(failed.providerResponse).toBe('500 answered 500');

    receiver.failNext(1, 410);
    expectFailure(await sender.send(event()), false, /HTTP 410/);

    receiver.failNext(1, 429);
    expectFailure(await sender.send(event()), true, /HTTP 429/);
  });

  it('keeps only the first 500 characters of a long answer', async () => {
    const verbose = http.createServer((_req, res) => res.writeHead(200).end('答'.repeat(2000)));
    await new Promise<void>((resolve) => verbose.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = verbose.address() as net.AddressInfo;
      const result = await sender.send(event({ to: `http://127.0.0.1:${port}/` }));
      expect(result).toEqual({ ok: true, providerResponse: `200 ${'答'.repeat(500)}` });
    } finally {
      await new Promise<void>((resolve) => verbose.close(() => resolve()));
    }
  });

  it('reports a timeout and a refused connection as retryable', async () => {
    receiver.hangNext(1);
    const impatient = new WebhookSender({ secret, timeoutMs: 200, guard: LOOPBACK });
    expectFailure(await impatient.send(event()), true, /no answer within 200 ms/);

    const down = event({ to: `http://127.0.0.1:${await closedPort()}/hooks` });
    expectFailure(await sender.send(down), true, /ECONNREFUSED/);
  });

  it('refuses URLs that are not http(s) and messages without a body, without retrying', async () => {
    const before = receiver.received.length;
    for (const to of ['ftp://127.0.0.1/hooks', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '']) {
      expectFailure(await sender.send(event({ to })), false, /not an http\(s\) URL/);
    }
    expectFailure(await sender.send(event({ body: undefined })), false, /without a body/);
    expect(receiver.received).toHaveLength(before);
  });
});

describe('where webhooks may go', () => {
  const secret = 'whsec_' + randomUUID();
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret });
  });
  afterAll(async () => {
    await receiver?.stop();
  });
  const hook = (to: string) =>
    message({ deliveryId: randomUUID(), to, templateKey: 'registered', body: JSON.stringify({ id: randomUUID() }) });

  it('refuses loopback, private, link-local and metadata addresses, written or resolved, unless listed', async () => {
    const publicOnly = new WebhookSender({ secret });
    const port = new URL(receiver.url).port;
    for (const to of [
      receiver.url,
      `http://[::ffff:127.0.0.1]:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.1.2.3/hook',
      'http://[fd00::1]/hook',
    ]) {
      const result = await publicOnly.send(hook(to));
      expect(result).toMatchObject({ ok: false, retryable: false });
      expect(result.ok ? '' : result.error).toMatch(/^webhook target refused: .* address/);
    }
    // A name is judged by what it resolves to, when connecting.
    const byName = await publicOnly.send(hook(receiver.url.replace('127.0.0.1', 'localhost')));
    expect(byName).toMatchObject({ ok: false, retryable: false });
    expect(byName.ok ? '' : byName.error).toMatch(/refused: .*localhost resolves to .*none of which is reached/);
    expect(receiver.received).toHaveLength(0);

    // Listed by the operator: reached.
    const listed = new WebhookSender({ secret, guard: LOOPBACK });
    expect(await listed.send(hook(receiver.url.replace('127.0.0.1', 'localhost')))).toMatchObject({ ok: true });
  });

  it('judges addresses by range: public unicast yes, everything special no', () => {
    const guard = new OutboundGuard(['10.20.0.0/16']);
    expect(guard.refusal('8.8.8.8')).toBeUndefined();
    expect(guard.refusal('2001:4860:4860::8888')).toBeUndefined();
    expect(guard.refusal('10.20.3.4')).toBeUndefined();
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.1.1',
      '172.16.0.1',
      '100.64.0.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00:ec2::254',
      '0.0.0.0',
      '::ffff:192.168.1.1',
    ]) {
      expect(guard.refusal(address)).toMatch(/is a \w+ address/);
    }
  });
});
