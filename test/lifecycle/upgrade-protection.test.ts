/**
 * Upgrading an existing PRODUCTION environment to the release that moved the load balancer's and the
 * table's deletion protection out of their templates into the last step: the templates of the
 * earlier release are rebuilt from today's by putting the settings back and taking the step's new
 * properties away. The upgrade updates the load balancer, the table and the step in place (nothing
 * replaced), and the step's properties change: CloudFormation sends it an Update, which the
 * provider framework runs like a Create (onEvent, then isComplete until every target is protected),
 * after every other resource of the deploy. So whatever the table's update handler does with the
 * setting that left its template, the deploy ends with the table, the load balancer and the
 * database protected. (An attribute that leaves LoadBalancerAttributes is not reset by
 * CloudFormation at all: https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/554.)
 */
import { synthesize } from './matrix';
import { PROD_PROPS } from '../../example/environments';
import { changed, classify, statefulLosses } from '../../src/delivery/impact';

/** The template of the release before: protection stated by the load balancer and the table, the step protecting the database only. */
function earlierRelease(template: any): any {
  const before = JSON.parse(JSON.stringify(template));
  for (const resource of Object.values<any>(before.Resources)) {
    if (resource.Type === 'AWS::DynamoDB::Table') resource.Properties.DeletionProtectionEnabled = true;
    if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer') {
      resource.Properties.LoadBalancerAttributes = [...resource.Properties.LoadBalancerAttributes, { Key: 'deletion_protection.enabled', Value: 'true' }];
    }
    if (resource.Type === 'Custom::UsersDatabaseDeletionProtection') {
      delete resource.Properties.LoadBalancerArn;
      delete resource.Properties.TableName;
    }
  }
  return before;
}

test('an upgraded PRODUCTION keeps protection: load balancer, table and step updated in place, the step re-runs last', () => {
  const after = synthesize(PROD_PROPS, 'PRODUCTION');
  const result = classify(earlierRelease(after), after);
  expect(statefulLosses(result)).toEqual([]);
  expect(changed(result, 'replaced')).toEqual([]);
  const updated = changed(result, 'updated').map(([type]) => type).sort();
  expect(updated).toEqual(['AWS::DynamoDB::Table', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'Custom::UsersDatabaseDeletionProtection']);
  const [stepId, step] = Object.entries<any>(after.Resources).find(([, r]) => r.Type === 'Custom::UsersDatabaseDeletionProtection')!;
  expect(Object.keys(step.Properties)).toEqual(expect.arrayContaining(['LoadBalancerArn', 'TableName', 'DBInstanceIdentifier']));
  // It waits for the load balancer and the table (whose updates it follows) through its properties.
  const lbId = Object.keys(after.Resources).find(id => after.Resources[id].Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  const tableId = Object.keys(after.Resources).find(id => after.Resources[id].Type === 'AWS::DynamoDB::Table');
  expect(step.Properties.LoadBalancerArn).toEqual({ Ref: lbId });
  expect(step.Properties.TableName).toEqual({ Ref: tableId });
  expect(stepId).toMatch(/DeletionProtection/);
});
