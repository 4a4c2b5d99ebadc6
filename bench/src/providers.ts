import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Where the bench's messages go: providers that accept everything, counting what they get. */
export interface BenchProviders {
  mails(): number;
  wechatMessages(): number;
  stop(): Promise<void>;
}

/**
 * An SMTP sink and a WeChat template-message API on loopback, configured as the group's
 * providers: without them every delivery would be refused as "no provider configured" and the
 * bench would measure nothing of sending. SMS goes unused: the bench's complainants give an
 * e-mail address as their contact.
 */
export async function startBenchProviders(gatewayUrl: string, apiKey: string): Promise<BenchProviders> {
  let mails = 0;
  let wechat = 0;
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 500,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        mails++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(0, '127.0.0.1', () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const api = http.createServer((request, response) => {
    const answer = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    request.resume();
    request.on('end', () => {
      if (request.url?.startsWith('/cgi-bin/token')) {
        return answer({ access_token: randomBytes(16).toString('hex'), expires_in: 7200 });
      }
      wechat++;
      answer({ errcode: 0, errmsg: 'ok', msgid: Date.now() });
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const apiPort = (api.address() as AddressInfo).port;

  const settingsUrl = `${gatewayUrl}/v1/admin/notification-settings`;
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const current = await fetch(settingsUrl, { headers });
  if (!current.ok) throw new Error(`GET ${settingsUrl} answered ${current.status}: ${await current.text()}`);
  // A WeChat template id for every template the group's rules use, and the daily digest's.
  const { rules } = (await current.json()) as { rules: { template: string }[] };
  const templates = [...new Set([...rules.map((rule) => rule.template), 'digest'])];
  const response = await fetch(settingsUrl, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      email: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, from: 'bench@example.invalid' },
      wechat: {
        apiBase: `http://127.0.0.1:${apiPort}`,
        appId: 'wxbench',
        appSecret: 'bench-secret',
        templates: Object.fromEntries(templates.map((template) => [template, `tpl-${template}`])),
      },
    }),
  });
  if (!response.ok) {
    throw new Error(`PUT /v1/admin/notification-settings answered ${response.status}: ${await response.text()}`);
  }
  return {
    mails: () => mails,
    wechatMessages: () => wechat,
    stop: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => api.close(() => resolve()));
    },
  };
}
