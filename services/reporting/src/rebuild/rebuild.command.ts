import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { v1 } from '@complaints/contracts';
import { GrpcServiceClient } from '@complaints/service-kit';

// `npm run rebuild -w @complaints/reporting -- --group <id> [--group <id> …]`: asks the running
// reporting service to rebuild the groups' read models from the event stream, and waits.
// REPORTING_GRPC_URL says where it runs (default 127.0.0.1:50055).

class ReportingClient extends GrpcServiceClient<v1.ReportingServiceClient> {}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { group: { type: 'string', multiple: true } } });
  const groups = values.group ?? [];
  if (groups.length === 0) throw new Error('usage: rebuild --group <group id> [--group <group id> …]');
  const client = new ReportingClient({
    url: process.env.REPORTING_GRPC_URL ?? '127.0.0.1:50055',
    protoFile: 'complaints/v1/reporting.proto',
    serviceName: v1.REPORTING_SERVICE_NAME,
    deadlineMs: 10_000,
    maxReconnectBackoffMs: 5_000,
  });
  let failed = false;
  for (const groupId of groups) {
    await client.call.rebuildReadModels({ groupId });
    let status: v1.RebuildStatus | undefined;
    do {
      await sleep(1_000);
      status = (await client.call.getRebuildStatus({ groupId })).status;
      console.log(
        `${groupId}: ${status?.status} (${status?.eventsRead} events read, ${status?.eventsApplied} applied)`,
      );
    } while (status?.status === 'running');
    if (status?.status !== 'done') {
      console.error(`${groupId}: ${status?.error || 'the rebuild did not finish'}`);
      failed = true;
    } else {
      console.log(`${groupId}: rebuilt, ${status.complaints} complaints`);
    }
  }
  client.onApplicationShutdown();
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
