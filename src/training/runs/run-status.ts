/** A training run's states and the only transitions allowed between them. */
export const RUN_STATUSES = ['running', 'completed', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const RUN_STATUS_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  running: ['completed', 'failed'],
  completed: [],
  failed: [],
};
