import { Injectable, Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { GatewayConfig } from '../config';
import { ForbiddenError, IdentityProviderUnavailableError, UnauthenticatedError } from '../problems/errors';
import type { StaffCaller } from './caller';
import { StaffDirectory } from './staff-directory';

/**
 * Verifies a staff member's access token (a JWT from the group's OpenID Connect provider) and
 * maps it to the directory's staff record. Signature by the issuer's JWKS (refetched when a
 * token names a key it does not have: rotation), `iss`, `aud`, `exp` and `nbf` with leeway.
 */
@Injectable()
export class StaffToken {
  private keys: Promise<JWTVerifyGetKey> | undefined;
  private readonly logger = new Logger(StaffToken.name);

  constructor(
    private readonly config: GatewayConfig,
    private readonly directory: StaffDirectory,
  ) {}

  /** The issuer's keys, found by discovery once (again after a failure). */
  private jwks(issuerUrl: string): Promise<JWTVerifyGetKey> {
    this.keys ??= (async () => {
      const discovery = `${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const response = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
      const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
      if (!jwksUri) throw new Error(`${discovery} names no jwks_uri`);
      return createRemoteJWKSet(new URL(jwksUri));
    })();
    this.keys.catch(() => (this.keys = undefined));
    return this.keys;
  }

  async authenticate(token: string): Promise<StaffCaller> {
    const oidc = this.config.oidc;
    if (!oidc) throw new UnauthenticatedError('staff sign-in is not configured here: use an API key');
    let claims: Record<string, unknown>;
    let keys: JWTVerifyGetKey;
    try {
      keys = await this.jwks(oidc.issuerUrl);
    } catch (error) {
      this.logger.warn(`OpenID discovery at ${oidc.issuerUrl} failed: ${String(error)}`);
      throw new IdentityProviderUnavailableError();
    }
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        issuer: oidc.issuerUrl,
        audience: oidc.audience,
        clockTolerance: oidc.clockToleranceSeconds,
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
    const staffId = claims[oidc.staffClaim];
    if (typeof staffId !== 'string' || !staffId) {
      throw new UnauthenticatedError(`the access token names no staff (claim ${oidc.staffClaim})`);
    }
    const staff = await this.directory.staff(oidc.groupId, staffId);
    if (!staff) throw new ForbiddenError(`${staffId} is not a staff member of the group`);
    return {
      kind: 'staff',
      groupId: oidc.groupId,
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
