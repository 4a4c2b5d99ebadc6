import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { LifecycleHarness, staff } from './lifecycle-harness';

// Running complaints live for weeks: a workflow change that would make their histories replay
// differently must go behind `patched()` (Temporal versioning). These recorded histories of
// earlier workflow code are replayed with the current code; a non-deterministic change fails
// here. Record a new one after a deliberate, patched change:
//   RECORD_HISTORY=<name> npx jest services/escalation/test/lifecycle.replay
const HISTORIES = join(__dirname, 'histories');

describe('lifecycle workflow histories recorded from earlier code', () => {
  const files = readdirSync(HISTORIES).filter((file) => file.endsWith('.json'));

  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('replays %s with the current workflow code', async (file) => {
    const recorded = JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as Record<string, unknown>;
    const history = temporal.api.history.v1.History.fromObject(recorded);
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../src/lifecycle/workflow') }, history);
  });
});

const record = process.env.RECORD_HISTORY;
(record ? describe : describe.skip)('recording a lifecycle history', () => {
  it(`records ${record}.json: an important complaint through breach, plan, extension, pause, callbacks (a retry reminder, a survey answered), reopening and close`, async () => {
    const harness = await LifecycleHarness.create();
    try {
      const { handle, input } = await harness.start({ severity: 'important' });
      await harness.sleep('3h1m');
      await harness.act(handle, { action: 'acknowledge', params: { reply: '已收到' }, actor: staff('supervisor') });
      await harness.act(handle, { action: 'start_investigation', params: {}, actor: staff('supervisor') });
      await harness.act(handle, { action: 'propose_plan', params: { plan: '维修' }, actor: staff('supervisor') });
      await harness.act(handle, { action: 'approve_plan', params: {}, actor: staff('property_head') });
      const until = new Date(Date.parse(input.receivedAt) + 5 * 86_400_000).toISOString();
      await harness.act(handle, {
        action: 'request_extension',
        params: { deadline: 'resolveBy', until, reason: '等配件' },
        actor: staff('supervisor'),
      });
      await harness.act(handle, { action: 'approve_extension', params: { number: 1 }, actor: staff('property_head') });
      await harness.act(handle, {
        action: 'await_complainant',
        params: { reason: '业主出差' },
        actor: staff('supervisor'),
      });
      await harness.sleep('1d');
      await harness.act(handle, { action: 'resume', params: {}, actor: staff('supervisor') });
      const resolve = { liability: 'responsible', validity: 'valid', result: '已修复' } as const;
      await harness.act(handle, { action: 'resolve', params: resolve, actor: staff('supervisor') });
      await harness.act(handle, {
        action: 'record_callback',
        params: { outcome: 'attempt', method: 'phone', reason: '无人接听' },
        actor: staff('supervisor'),
      });
      // The next attempt falls due: the caller's reminder (runs since the callback-retry patch).
      await harness.sleep('4h1m');
      const callback = { outcome: 'completed', method: 'phone', personReached: '业主' } as const;
      await harness.act(handle, {
        action: 'record_callback',
        params: { ...callback, satisfaction: 'dissatisfied' },
        actor: staff('supervisor'),
      });
      await harness.act(handle, { action: 'reopen', params: { reason: '仍有异响' }, actor: staff('manager') });
      await harness.act(handle, { action: 'propose_plan', params: { plan: '更换设备' }, actor: staff('manager') });
      await harness.act(handle, { action: 'approve_plan', params: {}, actor: staff('property_head') });
      await harness.act(handle, { action: 'resolve', params: resolve, actor: staff('manager') });
      // Round 2's callback is the complainant's answer to a survey.
      await harness.act(handle, { action: 'send_survey', params: {}, actor: staff('supervisor') });
      await harness.act(handle, {
        action: 'answer_survey',
        params: { survey: 1, satisfaction: 'satisfied' },
        actor: staff('frontline'),
      });
      await harness.act(handle, { action: 'close', params: {}, actor: staff('supervisor') });
      await handle.result();
      const history = temporal.api.history.v1.History.fromObject(await handle.fetchHistory());
      writeFileSync(join(HISTORIES, `${record}.json`), `${JSON.stringify(history.toJSON(), null, 1)}\n`);
    } finally {
      await harness.teardown();
    }
  });
});
