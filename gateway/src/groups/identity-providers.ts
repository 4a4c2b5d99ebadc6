import type { InvalidParam } from '../problems/errors';
import type { GroupRecord, IdentityProvider } from './group.schema';

/**
 * Why a group may not sign in at this identity provider, or undefined if it may. One issuer may
 * serve several groups only if every one of them names the claim that tells its tokens apart;
 * otherwise a token of one group's staff member would sign them into another.
 */
export function sharedIssuerProblem(
  groupId: string,
  provider: IdentityProvider,
  others: readonly GroupRecord[],
): InvalidParam | undefined {
  const sharing = others.filter((other) => other._id !== groupId && other.status !== 'removed');
  if (sharing.length === 0) return undefined;
  const names = sharing.map((other) => other._id).join(', ');
  if (!provider.groupClaim)
    return {
      name: 'identityProvider.groupClaim',
      reason: `required: the issuer also signs in ${names}; name the claim that holds the group id`,
    };
  const unclaimed = sharing.filter((other) => !other.identityProvider?.groupClaim);
  if (unclaimed.length > 0)
    return {
      name: 'identityProvider.issuerUrl',
      reason: `the issuer signs in ${unclaimed.map((other) => other._id).join(', ')} without a group claim; give them one first`,
    };
  return undefined;
}

/**
 * The group a verified token signs into, among those at its issuer: the one whose group claim the
 * token carries, or the only group there when it names none.
 */
export function groupOfToken(
  claims: Record<string, unknown>,
  atIssuer: readonly GroupRecord[],
): GroupRecord | undefined {
  const candidates = atIssuer.filter((group) => group.status !== 'removed' && group.identityProvider);
  const claimed = candidates.filter(
    (group) => group.identityProvider?.groupClaim && claims[group.identityProvider.groupClaim] === group._id,
  );
  if (claimed.length === 1) return claimed[0];
  if (candidates.length === 1 && !candidates[0].identityProvider?.groupClaim) return candidates[0];
  return undefined;
}
