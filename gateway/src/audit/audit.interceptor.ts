import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { catchError, concatMap, from, throwError, type Observable } from 'rxjs';
import { callerActor, type AuthenticatedRequest } from '../auth/caller';
import { toProblem } from '../problems/to-problem';
import { AUDITED, type AuditRule } from './audited.decorator';
import { AuditRepository } from './audit.repository';
import { redact } from './redact';

const OPERATOR = { kind: 'operator', id: 'operator', name: 'platform operator' };

/**
 * Writes the audit of every @Audited route: the entry before the change (with the subject as it
 * was), completed after it with the subject as it is then, or with the refusal. A failure to
 * write the first part refuses the change: nothing administrative happens off the record.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly moduleRef: ModuleRef,
    private readonly audit: AuditRepository,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const rule = this.reflector.get<AuditRule | undefined>(AUDITED, context.getHandler());
    if (!rule) return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const caller = request.caller;
    const params = { ...(request.params as Record<string, string>) };
    // The operator's routes act on the group they name.
    const body = request.body as { id?: unknown } | undefined;
    const groupId = caller?.groupId ?? params.id ?? (typeof body?.id === 'string' ? body.id : '');
    const controller: never = this.moduleRef.get(context.getClass(), { strict: false });
    const read = async (): Promise<unknown> => {
      if (!rule.read) return null;
      try {
        return redact(await rule.read(controller, caller, params));
      } catch {
        // Not there (yet), or out of sight: the change itself answers why.
        return null;
      }
    };
    const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
    const id = await this.audit.begin({
      groupId,
      at: new Date(),
      actor: caller ? callerActor(caller) : OPERATOR,
      subject: rule.subject,
      target: Object.values(params).join('/'),
      action: `${request.method} ${route}`,
      before: await read(),
    });
    const complete = (outcome: 'done' | 'failed', after: unknown, status: number | null) =>
      this.audit.complete(id, outcome, after, status).catch((error: unknown) => {
        // The change is made and its attempt on record; only the "after" is missing.
        this.logger.error(`audit entry ${id} could not be completed: ${String(error)}`);
      });
    return next.handle().pipe(
      concatMap((answer: unknown) =>
        from(
          (async () => {
            await complete('done', rule.read ? await read() : redact(answer), null);
            return answer;
          })(),
        ),
      ),
      catchError((error: unknown) =>
        from(complete('failed', null, toProblem(error).problem.status)).pipe(concatMap(() => throwError(() => error))),
      ),
    );
  }
}
