import { administeredProperties } from '../access/property-admin';
import type { Caller } from '../auth/caller';
import type { ApiKeyRecord } from './api-key.schema';

/**
 * Which keys a caller manages: staff at headquarters and admin keys of the whole group every key
 * of the group; an admin key limited to properties only keys limited to some of those properties.
 */
export function managesKey(caller: Caller, key: Pick<ApiKeyRecord, 'propertyIds'>): boolean {
  const own = administeredProperties(caller);
  return own === null || (key.propertyIds !== null && key.propertyIds.every((propertyId) => own.has(propertyId)));
}

/** How a key is recorded as made by the caller. */
export function creatorOf(caller: Caller): string {
  return caller.kind === 'partner' ? caller.keyId : `staff:${caller.staffId}`;
}
