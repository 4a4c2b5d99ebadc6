import { Injectable } from '@nestjs/common';
import { chargeMode, nextCharge } from '../../keyed/handler-loads';
import { KeyedDocuments } from '../../keyed/keyed-documents';
import { DecisionsRepository } from '../decisions.repository';

/** Withdrawn and closed complaints, erased complainants: the decision first, then what is keyed by it. */
@Injectable()
export class CloseAndErase {
  constructor(
    private readonly decisions: DecisionsRepository,
    private readonly keyed: KeyedDocuments,
  ) {}

  /** A withdrawn or closed complaint no longer counts against its handler, nor as an open case to join. */
  async close(groupId: string, complaintId: string): Promise<void> {
    const result = await this.decisions.change(groupId, complaintId, (current) =>
      current.state === 'open'
        ? {
            set: { state: 'closed', charge: nextCharge(current.charge, { state: 'closed', handler: current.handler }) },
          }
        : undefined,
    );
    if (!result) return;
    await this.keyed.syncOpenCase(result.decision);
    await this.keyed.loads.apply(
      groupId,
      complaintId,
      result.decision.charge,
      chargeMode(result.before, result.decision),
    );
  }

  /**
   * Forgets the complainant's pseudonym (erasure): out of the complainant's history first, then
   * off the open case and the decision, so an erasure delivered again after a crash still knows
   * the key to take it out of. Resolves the number of records changed (0 when done before).
   */
  async eraseComplainant(groupId: string, complaintId: string): Promise<number> {
    const current = await this.decisions.find(groupId, complaintId);
    const erasedKey = `erased:${complaintId}`;
    if (!current || current.complainantKey === erasedKey) return 0;
    const erased = { ...current, complainantKey: erasedKey };
    await this.keyed.syncHistory(erased, current);
    await this.keyed.syncOpenCase(erased, undefined, { always: true });
    const result = await this.decisions.change(groupId, complaintId, (latest) =>
      latest.complainantKey === erasedKey ? undefined : { set: { complainantKey: erasedKey } },
    );
    return result?.changed ? 1 : 0;
  }
}
