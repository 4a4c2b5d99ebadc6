import { writeWorkflowBundle } from '@complaints/service-kit';
import { PRELOADED_MODULES } from './preloaded-modules';

// Build step: production workers load this bundle instead of running webpack at start-up.
writeWorkflowBundle(require.resolve('./workflow'), __dirname, PRELOADED_MODULES).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
