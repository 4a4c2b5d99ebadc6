import { maskContact, maskEmail, maskPhone } from '@complaints/domain';

/**
 * Addresses are personal data: a record or a list shows enough to recognise one, not to use it.
 * The masks are the domain's, the same as every complaint view's.
 */
export function maskAddress(channel: string, to: string): string {
  // Erased: nothing left to show.
  if (channel === 'webhook' || to === '') return to;
  if (channel === 'email') return maskEmail(to);
  if (channel === 'sms') return maskPhone(to);
  return maskContact(`wechat:${to}`).slice('wechat:'.length);
}
