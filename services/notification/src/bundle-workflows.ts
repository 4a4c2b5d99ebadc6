import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

// Build step: production workers load this bundle instead of running webpack at start-up.
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows') });
  const target = join(__dirname, 'workflow-bundle.js');
  writeFileSync(target, code);
  console.log(`workflow bundle written to ${target}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
