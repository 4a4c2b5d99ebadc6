import { writeWorkflowBundle } from '@complaints/service-kit';

// Build step: production workers load this bundle instead of running webpack at start-up.
writeWorkflowBundle(require.resolve('./workflows'), __dirname).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
