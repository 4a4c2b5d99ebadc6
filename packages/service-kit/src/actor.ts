import type { v1 } from '@complaints/contracts';

/** Who did something (SPEC §4: every transition has an actor); a missing one is recorded as unknown, not dropped. */
export interface ActorRef {
  kind: string;
  id: string;
  name: string;
}

export function actorOf(actor: v1.Actor | undefined): ActorRef {
  return { kind: actor?.kind || 'system', id: actor?.id || 'unknown', name: actor?.name || 'unknown' };
}
