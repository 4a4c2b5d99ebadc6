import * as path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { serviceModule } from '@complaints/service-kit';
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
    serviceItem: '',
    resolvedAtFirstContact: false,
    firstContactAnswer: '',
    registeredBy: PARTNER,
    idempotencyKey: '',
    requestHash: '',
    ...overrides,
  };
}
