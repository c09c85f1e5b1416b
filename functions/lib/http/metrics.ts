import { type METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from '../../../shared/metrics.ts';

/**
 * Counts one event of a product metric (shared/metrics.ts) and writes it at once as an EMF log
 * line, which CloudWatch turns into the metric the alarms watch. Written at once rather than
 * buffered to the end of the invocation: a run that crashes or times out still counts what
 * happened before, and any function may call this without a flush of its own. Powertools is loaded
 * on first use (cold starts of requests that count nothing skip it); a metric that cannot be
 * written never fails the caller.
 */
export const countMetric = async (name: (typeof METRIC)[keyof typeof METRIC]): Promise<void> => {
  try {
    const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
    metrics.addMetric(name, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  } catch {
    // Counting is for the operators' alarms; the message or job it counts goes on regardless.
  }
};
