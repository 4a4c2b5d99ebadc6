import { Injectable } from '@nestjs/common';
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { ReportingConfig } from '../config';
import { ReportSettingsRepository } from '../settings/report-settings.repository';
import type { ScheduledReportInput } from './report.activities';
import { scheduledReportWorkflow } from './scheduled-report.workflow';

/** SPEC §8: weekly reports on Monday at 09:00, monthly ones on the 1st at 09:00, in the group's zone. */
const WHEN = {
  week: { dayOfWeek: 'MONDAY', hour: 9 },
  month: { dayOfMonth: 1, hour: 9 },
} as const;

/** Every group the service hears of gets its two report schedules, created once. */
@Injectable()
export class EnsureSchedules {
  private readonly ensured = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly config: ReportingConfig,
    private readonly settings: ReportSettingsRepository,
  ) {}

  scheduleId(groupId: string, kind: ScheduledReportInput['kind']): string {
    return `${this.config.taskQueue}:${groupId}:${kind}`;
  }

  async forGroup(groupId: string): Promise<void> {
    if (this.ensured.has(groupId)) return;
    for (const kind of ['week', 'month'] as const) {
      try {
        await this.client.schedule.create(await this.options(groupId, kind));
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      }
    }
    this.ensured.add(groupId);
  }

  /** After the group's time zone changed: the schedules fire at 09:00 in the new one. */
  async retime(groupId: string): Promise<void> {
    await this.forGroup(groupId);
    for (const kind of ['week', 'month'] as const) {
      const { spec } = await this.options(groupId, kind);
      await this.client.schedule.getHandle(this.scheduleId(groupId, kind)).update((current) => ({ ...current, spec }));
    }
  }

  private async options(groupId: string, kind: ScheduledReportInput['kind']): Promise<ScheduleOptions> {
    const { timeZone } = await this.settings.get(groupId);
    const input: ScheduledReportInput = { groupId, kind };
    return {
      scheduleId: this.scheduleId(groupId, kind),
      spec: { calendars: [WHEN[kind]], timezone: timeZone },
      action: {
        type: 'startWorkflow',
        workflowType: scheduledReportWorkflow,
        args: [input],
        taskQueue: this.config.taskQueue,
      },
      // Missed while Temporal or the workers were down: still produced, up to a week late.
      policies: { catchupWindow: '7 days', overlap: ScheduleOverlapPolicy.BUFFER_ONE },
    };
  }
}
