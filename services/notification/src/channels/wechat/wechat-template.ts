import { fetch } from 'undici';
import { isRefusedAddress, PUBLIC_ONLY, type OutboundGuard } from '../outbound-guard';
import { jsonObject, reasonOf, templateFor } from '../provider-answers';
import type { ChannelSender, OutgoingMessage, SendResult } from '../channel';

export const WECHAT_API_BASE = 'https://api.weixin.qq.com';

export interface WechatTemplateConfig {
  /** Defaults to WECHAT_API_BASE. */
  apiBase?: string;
  appId: string;
  appSecret: string;
  /** Platform template key (receipt, breach …) → the Official Account's template id. */
  templates: Record<string, string>;
}

export interface WechatTemplateOptions {
  /** Milliseconds since the epoch, for the token's expiry. */
  now?: () => number;
  timeoutMs?: number;
  /** Which addresses may be reached; by default public ones only. */
  guard?: OutboundGuard;
}

/** access_token invalid (40001, 40014) or expired (42001): another token may well work. */
const TOKEN_REJECTED = new Set([40001, 40014, 42001]);
/** System busy (-1) and rate limited (45009) pass; a token still rejected after a fresh one may be a race. */
const RETRYABLE_CODES = new Set([-1, 45009, ...TOKEN_REJECTED]);
/**
 * Fetch a new token this long before WeChat says the old one expires, so a send never carries a
 * token that expires on the way. WeChat keeps the old token valid for a while after a new one is issued.
 */
const TOKEN_MARGIN_MS = 5 * 60_000;

interface AccessToken {
  value: string;
  /** Mutable: a token the API rejected is marked stale at once. */
  staleAt: number;
}

interface Reply {
  status: number;
  text: string;
  body: Record<string, unknown> | undefined;
}

/** A reply that ends the send: thrown from the token fetch, caught in `send`. */
class RejectedReply extends Error {
  constructor(readonly reply: Reply) {
    super(`WeChat answered HTTP ${reply.status}`);
  }
}

/** WeChat Official Account template messages (`cgi-bin/message/template/send`). */
export class WechatTemplateSender implements ChannelSender {
  private readonly apiBase: string;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly guard: OutboundGuard;
  /** One token fetch at a time: concurrent sends share it instead of each revoking the other's token. */
  private token: Promise<AccessToken> | undefined;

  constructor(
    private readonly config: WechatTemplateConfig,
    options: WechatTemplateOptions = {},
  ) {
    this.apiBase = (config.apiBase ?? WECHAT_API_BASE).replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.guard = options.guard ?? PUBLIC_ONLY;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const template = templateFor(this.config.templates, message.templateKey, 'WeChat template id');
    if ('refused' in template) return template.refused;
    const payload = JSON.stringify({
      touser: message.to,
      template_id: template.id,
      // WeChat sends one message per openid and client_msg_id, so a retry after a lost answer does not repeat it.
      client_msg_id: message.deliveryId,
      data: Object.fromEntries(Object.entries(message.params).map(([key, value]) => [key, { value }])),
    });
    try {
      for (let attempt = 1; ; attempt++) {
        const token = await this.accessToken();
        const reply = await this.request(
          `${this.apiBase}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token.value)}`,
          { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload },
        );
        const errcode = reply.body?.errcode;
        // The raw text is kept because msgid can exceed what a JS number holds exactly.
        if (reply.status === 200 && errcode === 0) return { ok: true, providerResponse: reply.text };
        // Tokens die early (the secret was reset, another server fetched a new one): one fresh token, once.
        if (attempt === 1 && typeof errcode === 'number' && TOKEN_REJECTED.has(errcode)) {
          token.staleAt = 0;
          continue;
        }
        return failureOf(reply);
      }
    } catch (error) {
      if (error instanceof RejectedReply) return failureOf(error.reply);
      if (isRefusedAddress(error)) {
        return { ok: false, retryable: false, providerResponse: '', error: `WeChat refused: ${reasonOf(error)}` };
      }
      return { ok: false, retryable: true, providerResponse: '', error: `WeChat unreachable: ${reasonOf(error)}` };
    }
  }

  private async accessToken(): Promise<AccessToken> {
    const current = this.token;
    if (current) {
      const token = await current;
      if (token.staleAt > this.now()) return token;
      // Another send may have started a fresh fetch while this one waited: use theirs.
      if (this.token === current) this.token = undefined;
    }
    if (!this.token) {
      const request = this.fetchToken();
      this.token = request;
      // A failed fetch is not cached: the next send tries again.
      void request.catch(() => {
        if (this.token === request) this.token = undefined;
      });
    }
    return this.token;
  }

  private async fetchToken(): Promise<AccessToken> {
    const query = new URLSearchParams({
      grant_type: 'client_credential',
      appid: this.config.appId,
      secret: this.config.appSecret,
    });
    const reply = await this.request(`${this.apiBase}/cgi-bin/token?${query.toString()}`, { method: 'GET' });
    const value = reply.body?.access_token;
    const expiresIn = reply.body?.expires_in;
    if (reply.status !== 200 || typeof value !== 'string' || typeof expiresIn !== 'number') {
      throw new RejectedReply(reply);
    }
    return { value, staleAt: this.now() + expiresIn * 1000 - TOKEN_MARGIN_MS };
  }

  private async request(
    url: string,
    init: { method: string; headers?: Record<string, string>; body?: string },
  ): Promise<Reply> {
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(this.timeoutMs),
      // The app secret goes to the configured host and nowhere it redirects to.
      redirect: 'manual',
      dispatcher: this.guard.dispatcher(),
    });
    const text = await response.text();
    return { status: response.status, text, body: jsonObject(text) };
  }
}

function failureOf(reply: Reply): Extract<SendResult, { ok: false }> {
  const errcode = reply.body?.errcode;
  const overloaded = reply.status >= 500 || reply.status === 429;
  if (typeof errcode !== 'number') {
    return {
      ok: false,
      retryable: overloaded,
      providerResponse: reply.text,
      error: `WeChat answered HTTP ${reply.status}`,
    };
  }
  const errmsg = typeof reply.body?.errmsg === 'string' ? `: ${reply.body.errmsg}` : '';
  return {
    ok: false,
    retryable: overloaded || RETRYABLE_CODES.has(errcode),
    providerResponse: reply.text,
    error: `errcode ${errcode}${errmsg}`,
  };
}
