import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type mongoose from 'mongoose';
import { DomainError, serviceModule } from '@complaints/service-kit';
import {
  ComplaintRecord,
  ComplaintSchema,
  IdempotencyRecord,
  IdempotencySchema,
  MaintenanceState,
  MaintenanceStateSchema,
  NumberClaim,
  NumberClaimSchema,
  NumberCounter,
  NumberCounterSchema,
  PendingEventRecord,
  PendingEventSchema,
  RetentionHour,
  RetentionHourSchema,
} from '../src/complaints/complaint.schema';
import { ComplaintsRepository } from '../src/complaints/complaints.repository';
import { MaintenanceStates } from '../src/complaints/maintenance-state';
import { PendingOutbox } from '../src/complaints/pending-outbox';
import { RetentionSchedule } from '../src/complaints/retention-schedule';
import { TimelineSeal, verifyChain, type ChainVerdict } from '../src/timeline/hash-chain';
import { TimelineRepository } from '../src/timeline/timeline.repository';
import { TimelineEntryRecord, TimelineEntrySchema } from '../src/timeline/timeline.schema';
import { AttachmentsModule } from '../src/attachments/attachments.module';
import { ComplaintsModule } from '../src/complaints/complaints.module';
import type { RegisterComplaintInput } from '../src/complaints/use-cases/register-complaint';
import { IntakeConfig } from '../src/config';
import { PersonalDataModule } from '../src/personal-data/personal-data.module';

export const DEMO_SEED = path.join(__dirname, '..', 'seed', 'demo-group.json');
export const PARTNER = { kind: 'partner', id: 'key-1', name: 'hotline' };

/** Intake's real modules in this process (no gRPC server), on the given servers and database. */
export async function startIntake(env: NodeJS.ProcessEnv): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    serviceModule({
      name: 'intake-test',
      config: new IntakeConfig({ SEED_FILE: DEMO_SEED, ...env }),
      configClass: IntakeConfig,
      features: [ComplaintsModule, AttachmentsModule, PersonalDataModule],
      protoFiles: [],
      mongo: true,
      grpcCallers: {},
    }),
    { logger: ['error'] },
  );
  await app.init();
  return app;
}

/** A valid registration at the demo group's mall. */
export function registration(overrides: Partial<RegisterComplaintInput> = {}): RegisterComplaintInput {
  return {
    groupId: 'demo-group',
    propertyId: 'sh-mall',
    channel: 'phone',
    receivedAt: new Date('2026-11-23T01:30:00Z'),
    complainant: { name: '张三', contact: '13800138000', type: 'tenant', unit: 'L2-15', anchorTenant: false },
    location: 'B1',
    description: '空调漏水',
    demand: '',
    language: 'zh-CN',
    confidential: false,
    confidentialStaffIds: [],
    coComplainantCount: 0,
    categoryHint: '',
    severityHint: '',
    involvedDepartment: '',
    involvedStaff: '',
    involvedStaffId: '',
    serviceItem: '',
    resolvedAtFirstContact: false,
    firstContactAnswer: '',
    requestedBy: null,
    incidentAt: null,
    referralAgency: '',
    referralTicket: '',
    registeredBy: PARTNER,
    idempotencyKey: '',
    requestHash: '',
    ...overrides,
  };
}

/**
 * Intake's repositories on a connection of their own, without Nest: each call is another
 * process's view of the same database (a second replica has its own in-process queues).
 */
/** The timeline keys every test runs with (the local default). */
export const LOCAL_SEAL = new TimelineSeal(new IntakeConfig({}).timelineKeys);

/** Verifies a chain that should end at its last entry. */
export function verifyEntries(entries: TimelineEntryRecord[]): ChainVerdict {
  const last = entries.at(-1);
  return verifyChain(entries, LOCAL_SEAL, { seq: last?.seq ?? 0, hash: last?.hash ?? '' });
}

export function repositoriesOn(connection: mongoose.Connection) {
  const model = <T>(name: string, schema: mongoose.Schema<T>) =>
    connection.models[name] ? connection.model<T>(name) : connection.model<T>(name, schema);
  const timeline = new TimelineRepository(model(TimelineEntryRecord.name, TimelineEntrySchema), LOCAL_SEAL);
  const states = new MaintenanceStates(model(MaintenanceState.name, MaintenanceStateSchema));
  const retention = new RetentionSchedule(model(RetentionHour.name, RetentionHourSchema), states);
  const complaints = new ComplaintsRepository(
    model(ComplaintRecord.name, ComplaintSchema),
    model(NumberCounter.name, NumberCounterSchema),
    model(NumberClaim.name, NumberClaimSchema),
    model(IdempotencyRecord.name, IdempotencySchema),
    timeline,
    retention,
  );
  const outbox = new PendingOutbox(model(PendingEventRecord.name, PendingEventSchema));
  return { complaints, timeline, retention, outbox, states };
}

/** The domain error a use case refused with; fails when it succeeded or threw something else. */
export async function domainError(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a domain error');
}
