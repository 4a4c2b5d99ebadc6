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

/**
 * Every group the service hears of gets its two report schedules, created once: the consumer
 * asks for each event, and Temporal hears of a group once per process (two calls), not once per
 * event. A failed attempt is made again with a later event, at most once per retry interval.
 */
@Injectable()
export class EnsureSchedules {
  /** Done or under way: events of one group arriving at once wait for one attempt. */
  private readonly ensured = new Map<string, Promise<void>>();
  private readonly failedAt = new Map<string, number>();

  constructor(
    private readonly client: Client,
    private readonly config: ReportingConfig,
    private readonly settings: ReportSettingsRepository,
  ) {}

  scheduleId(groupId: string, kind: ScheduledReportInput['kind']): string {
    return `${this.config.taskQueue}:${groupId}:${kind}`;
  }

  /** Resolves at once while a failed attempt waits for its retry interval (the failure was reported). */
  async forGroup(groupId: string): Promise<void> {
    const ensured = this.ensured.get(groupId);
    if (ensured) return ensured;
    const failedAt = this.failedAt.get(groupId);
    if (failedAt !== undefined && Date.now() - failedAt < this.config.scheduleRetryMs) return;
    const attempt = this.create(groupId).catch((error: unknown) => {
      this.ensured.delete(groupId);
      this.failedAt.set(groupId, Date.now());
      throw error;
    });
    this.ensured.set(groupId, attempt);
    return attempt;
  }

  private async create(groupId: string): Promise<void> {
    for (const kind of ['week', 'month'] as const) {
      try {
        await this.client.schedule.create(await this.options(groupId, kind));
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      }
    }
    this.failedAt.delete(groupId);
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
