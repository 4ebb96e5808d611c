/**
 * Every Metrics Insights query of both example environments (alarms and dashboard widgets) parses
 * with the documented grammar (test/evaluators/metrics-insights.ts): CloudWatch rejects an alarm
 * whose query it cannot parse (PutMetricAlarm fails, and the deploy with it).
 */
import { collectMetricsInsightsQueries, parseMetricsInsightsQuery } from './metrics-insights';
import { exampleProfiles } from './profiles';

const profiles = exampleProfiles();

test.each(profiles.map(p => [p.name, p] as const))('%s: the environment has Metrics Insights queries to check', (_name, profile) => {
  expect(collectMetricsInsightsQueries(profile.template, profile.evaluator.resolver).length).toBeGreaterThan(0);
});

// The release before issue 24 failed this: its queue alarms used `WHERE QueueName LIKE '<prefix>%'`,
// which is not in the documented grammar.
test.each(profiles.map(p => [p.name, p] as const))('%s: every Metrics Insights query parses with the documented grammar', (_name, profile) => {
  const errors = collectMetricsInsightsQueries(profile.template, profile.evaluator.resolver).flatMap(({ where, query }) => {
    try {
      parseMetricsInsightsQuery(query);
      return [];
    } catch (e) {
      return [`${where}: ${(e as Error).message}`];
    }
  });
  expect(errors).toEqual([]);
});
