import type { v1 } from '@complaints/contracts';

/** Who did something (SPEC §4: every transition has an actor); a missing one is recorded as unknown, not dropped. */
export interface ActorRef {
  kind: string;
  id: string;
  name: string;
  /** A staff member who acted through a partner's API key: that key. */
  via?: { keyId: string; name: string };
}

export function actorOf(actor: v1.Actor | undefined): ActorRef {
  const ref = { kind: actor?.kind || 'system', id: actor?.id || 'unknown', name: actor?.name || 'unknown' };
  return actor?.viaKeyId ? { ...ref, via: { keyId: actor.viaKeyId, name: actor.viaKeyName ?? '' } } : ref;
}

/** The proto form of an actor, the key it acted through included. */
export function actorToProto(actor: ActorRef): v1.Actor {
  return {
    kind: actor.kind,
    id: actor.id,
    name: actor.name,
    ...(actor.via ? { viaKeyId: actor.via.keyId, viaKeyName: actor.via.name } : {}),
  };
}
