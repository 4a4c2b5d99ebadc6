import { Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GatewayConfig } from '../config';
import { groupOfToken } from '../groups/identity-providers';
import { GroupsRepository } from '../groups/groups.repository';
import { ForbiddenError, IdentityProviderUnavailableError, UnauthenticatedError } from '../problems/errors';
import type { StaffCaller } from './caller';
import { StaffDirectory } from './staff-directory';

/** Issuers whose keys are kept at once; tokens name their issuer before they are verified. */
const ISSUERS_KEPT = 1_000;

/**
 * Verifies a staff member's access token (a JWT from their group's OpenID Connect provider) and
 * maps it to the directory's staff record. The token's `iss` picks the groups signing in there
 * (the platform operator sets each group's provider); the signature is checked with that
 * issuer's JWKS (refetched when a token names a key it does not have: rotation), then `aud`,
 * `exp` and `nbf` with leeway, and the group's claim when the issuer serves several groups.
 */
@Injectable()
export class StaffToken {
  private readonly keys = new Map<string, Promise<JWTVerifyGetKey>>();
  private readonly logger = new Logger(StaffToken.name);

  constructor(
    private readonly config: GatewayConfig,
    private readonly directory: StaffDirectory,
    private readonly groups: GroupsRepository,
  ) {}

  /** The issuer's keys, found by discovery once (again after a failure). */
  private jwks(issuerUrl: string): Promise<JWTVerifyGetKey> {
    let keys = this.keys.get(issuerUrl);
    if (keys) return keys;
    keys = (async () => {
      const discovery = `${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
      const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
      if (!jwksUri) throw new Error(`${discovery} names no jwks_uri`);
      return createRemoteJWKSet(new URL(jwksUri));
    })();
    if (this.keys.size >= ISSUERS_KEPT) this.keys.clear();
    this.keys.set(issuerUrl, keys);
    keys.catch(() => this.keys.delete(issuerUrl));
    return keys;
  }

  async authenticate(token: string): Promise<StaffCaller> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new UnauthenticatedError('the access token is not valid: bad signature or format');
    }
    const atIssuer = typeof issuer === 'string' ? await this.groups.withIssuer(issuer) : [];
    const providers = atIssuer.flatMap((group) =>
      group.status !== 'removed' && group.identityProvider ? [group.identityProvider] : [],
    );
    if (typeof issuer !== 'string' || providers.length === 0)
      throw new UnauthenticatedError('the access token is not valid: its issuer signs in no group here');
    let claims: Record<string, unknown>;
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.jwks(issuer);
    } catch (error) {
      this.logger.warn(`OpenID discovery at ${issuer} failed: ${String(error)}`);
      throw new IdentityProviderUnavailableError();
    }
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer,
        audience: [...new Set(providers.map((provider) => provider.audience))],
        clockTolerance: this.config.oidcClockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      // Only the token's own faults are 401; an issuer whose keys cannot be fetched is 503.
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
        throw new UnauthenticatedError(`the access token is not valid: ${reasonOf(error)}`);
      }
      if (error instanceof errors.JWKSTimeout || (error instanceof TypeError && error.message === 'fetch failed')) {
        this.logger.warn(`the issuer's keys could not be fetched: ${String(error)}`);
        throw new IdentityProviderUnavailableError();
      }
      throw error;
    }
    const group = groupOfToken(claims, atIssuer);
    const provider = group?.identityProvider;
    if (!group || !provider) throw new ForbiddenError('the access token names no group that signs in at its issuer');
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    if (!audiences.includes(provider.audience))
      throw new UnauthenticatedError(`the access token is not valid: aud is not ${provider.audience}`);
    const staffId = claims[provider.staffClaim];
    if (typeof staffId !== 'string' || !staffId) {
      throw new UnauthenticatedError(`the access token names no staff (claim ${provider.staffClaim})`);
    }
    const staff = await this.directory.staff(group._id, staffId);
    if (!staff) throw new ForbiddenError(`${staffId} is not a staff member of the group`);
    return {
      kind: 'staff',
      groupId: group._id,
      staffId,
      name: staff.record.name,
      roleLevel: staff.roleLevel,
      propertyIds: staff.record.propertyIds,
      regionId: staff.record.regionId,
      departmentKind: staff.departmentKind,
    };
  }
}

function reasonOf(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWKSNoMatchingKey) return 'signed with an unknown key';
  if (error instanceof errors.JWTClaimValidationFailed) return `${error.claim} ${error.reason}`;
  return 'bad signature or format';
}
