// The workflow bundle's entry: every workflow the notification worker runs.
export { deliveryWorkflow } from './deliveries/delivery.workflow';
export { digestWorkflow } from './digest/digest.workflow';
export { handoverReminderWorkflow } from './handover/handover-reminder.workflow';
