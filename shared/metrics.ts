/**
 * The product's own CloudWatch metrics, written by the functions as embedded metric format (EMF)
 * log lines (Powertools Metrics) and alarmed on by the stacks: both sides read these names, so an
 * alarm can never watch a metric nobody emits.
 */
export const METRICS_NAMESPACE = 'EcoLiaison';
/** Powertools adds this as the `service` dimension of every metric; the alarms name it too. */
export const METRICS_SERVICE = 'eco-liaison';

export const METRIC = {
  /** One per heartbeat run (hourly): none for two hours means the scheduler or the jobs are down. */
  heartbeat: 'Heartbeat',
  /** One per delivery (e-mail, SMS, robot) that failed every attempt of a run. */
  deliveryFailed: 'DeliveryFailed',
} as const;
