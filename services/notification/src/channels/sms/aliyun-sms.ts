import { randomUUID } from 'node:crypto';
import { fetch } from 'undici';
import { isRefusedAddress, PUBLIC_ONLY, type OutboundGuard } from '../outbound-guard';
import { jsonObject, reasonOf, templateFor } from '../provider-answers';
import type { ChannelSender, OutgoingMessage, SendResult } from '../channel';
import { canonicalizedQuery, rpcSignature } from './aliyun-signature';

export interface AliyunSmsConfig {
  /** e.g. https://dysmsapi.aliyuncs.com/ */
  endpoint: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature the text is sent under (shown in 【】). */
  signName: string;
  /** Platform template key (receipt, breach …) → the approved Aliyun template code (SMS_…). */
  templates: Record<string, string>;
}

export interface AliyunSmsOptions {
  now?: () => Date;
  nonce?: () => string;
  timeoutMs?: number;
  /** Which addresses may be reached; by default public ones only. */
  guard?: OutboundGuard;
}

/**
 * Codes that mean "not now" rather than "never": per-number and per-account rate limits and the
 * gateway's own faults. Everything else (bad number, template, key or signature) fails again
 * the same way until someone changes the data or the configuration.
 */
const RETRYABLE_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
  'isp.SYSTEM_ERROR',
  'ServiceUnavailable',
]);

/** Alibaba Cloud SMS `SendSms` (API 2017-05-25), signed with the RPC signature v1. */
export class AliyunSmsSender implements ChannelSender {
  private readonly now: () => Date;
  private readonly nonce: () => string;
  private readonly timeoutMs: number;
  private readonly guard: OutboundGuard;

  constructor(
    private readonly config: AliyunSmsConfig,
    options: AliyunSmsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.nonce = options.nonce ?? randomUUID;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.guard = options.guard ?? PUBLIC_ONLY;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const template = templateFor(this.config.templates, message.templateKey, 'Aliyun SMS template code');
    if ('refused' in template) return template.refused;
    const params: Record<string, string> = {
      AccessKeyId: this.config.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: message.deliveryId,
      PhoneNumbers: message.to,
      SignName: this.config.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: this.nonce(),
      SignatureVersion: '1.0',
      TemplateCode: template.id,
      TemplateParam: JSON.stringify(message.params),
      Timestamp: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    params.Signature = rpcSignature('POST', params, this.config.accessKeySecret);

    let status: number;
    let text: string;
    try {
      const response = await fetch(this.config.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: canonicalizedQuery(params),
        signal: AbortSignal.timeout(this.timeoutMs),
        // The signed request goes to the configured host and nowhere it redirects to.
        redirect: 'manual',
        dispatcher: this.guard.dispatcher(),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (isRefusedAddress(error)) {
        return { ok: false, retryable: false, providerResponse: '', error: `Aliyun SMS refused: ${reasonOf(error)}` };
      }
      return { ok: false, retryable: true, providerResponse: '', error: `Aliyun SMS unreachable: ${reasonOf(error)}` };
    }
    return resultOf(status, text);
  }
}

function resultOf(status: number, text: string): SendResult {
  const answer = jsonObject(text);
  const code = typeof answer?.Code === 'string' ? answer.Code : undefined;
  if (status === 200 && code === 'OK') return { ok: true, providerResponse: text };
  const overloaded = status >= 500 || status === 429;
  if (code === undefined) {
    return { ok: false, retryable: overloaded, providerResponse: text, error: `Aliyun SMS answered HTTP ${status}` };
  }
  const detail = typeof answer?.Message === 'string' ? `: ${answer.Message}` : '';
  return {
    ok: false,
    retryable: overloaded || RETRYABLE_CODES.has(code),
    providerResponse: text,
    error: code + detail,
  };
}
