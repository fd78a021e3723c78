// The scheduled-task payload is a queue contract (the DLQ replays it): it lives in @baton/shared.
export {
  type ScheduledTask,
  ScheduledTaskSchema,
  TASK_ID_RETENTION_SEC,
  TASK_KEY_PREFIX,
  taskEventKey,
  taskJobOptions,
} from '@baton/shared';
