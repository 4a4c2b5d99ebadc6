import { Controller, Get, HttpCode, Injectable, Module, Res, type DynamicModule, type Type } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { ConnectionStates, type Connection } from 'mongoose';
import type { Response } from 'express';
import { EventBus } from '@complaints/messaging';

/** One dependency the service cannot work without (SPEC §10 readiness). */
export interface ReadinessCheck {
  readonly name: string;
  isReady(): Promise<boolean>;
}

@Injectable()
export class MongoReadiness implements ReadinessCheck {
  readonly name = 'mongodb';
  constructor(@InjectConnection() private readonly connection: Connection) {}
  async isReady(): Promise<boolean> {
    if (this.connection.readyState !== ConnectionStates.connected || !this.connection.db) return false;
    await this.connection.db.admin().ping();
    return true;
  }
}

@Injectable()
export class NatsReadiness implements ReadinessCheck {
  readonly name = 'nats';
  constructor(private readonly bus: EventBus) {}
  async isReady(): Promise<boolean> {
    return this.bus.isConnected();
  }
}

let stopping = false;

/** From SIGTERM on, readiness answers 503 so that no new work is routed here while the rest drains. */
export function markStopping(): void {
  stopping = true;
}

class ReadinessChecks {
  constructor(readonly checks: ReadinessCheck[]) {}
}

@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessChecks) {}

  /** Alive: the process answers. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready: every dependency answers; 503 names the ones that do not. */
  @Get('readyz')
  async readyz(
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ status: string; checks: Record<string, string> }> {
    if (stopping) {
      response.status(503);
      return { status: 'stopping', checks: {} };
    }
    const results = await Promise.all(
      this.readiness.checks.map(async (check) => {
        const ready = await check.isReady().catch(() => false);
        return [check.name, ready ? 'up' : 'down'] as const;
      }),
    );
    const allUp = results.every(([, state]) => state === 'up');
    response.status(allUp ? 200 : 503);
    return { status: allUp ? 'ok' : 'unavailable', checks: Object.fromEntries(results) };
  }
}

@Module({})
export class HealthModule {
  static register(checks: Type<ReadinessCheck>[]): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      // The checks themselves are provided (and exported) by the global modules that own the clients.
      providers: [
        {
          provide: ReadinessChecks,
          useFactory: (...found: ReadinessCheck[]) => new ReadinessChecks(found),
          inject: checks,
        },
      ],
    };
  }
}
