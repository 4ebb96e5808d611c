/**
 * The deletion protection step (`Custom::UsersDatabaseDeletionProtection`), the last step of a
 * deploy: turns deletion protection on for the database instance, the frontend load balancer and
 * the reports table (each when named in the properties). Provider framework with `isComplete`:
 * onEvent only names the resource; isComplete turns protection on where it is still off and
 * answers "complete" once every target reports it on (the framework polls until `totalTimeout`).
 * Delete leaves protection as it is (turn it off with a deploy that sets it false).
 */
import { messageOf } from './errors';
import { BootstrapEvent, BootstrapResponse, requiredString } from './events';

/** Resource type of the deletion protection step. */
export const DELETION_PROTECTION_TYPE = 'Custom::UsersDatabaseDeletionProtection';

/**
 * Turns deletion protection on, idempotently; each call answers whether it is on now (false: the
 * resource is busy, try again). The AWS APIs in Lambda, in-memory resources in tests.
 */
export interface DeletionProtectionApi {
  protectDatabase(dbInstanceIdentifier: string): Promise<boolean>;
  protectLoadBalancer(loadBalancerArn: string): Promise<boolean>;
  protectTable(tableName: string): Promise<boolean>;
}

/** Error names that mean "busy, ask again" rather than "refused". */
const BUSY = /InvalidDBInstanceState|ResourceInUseException|LimitExceededException/;

/** What the framework's isComplete call expects back. */
export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** onEvent: names the step; the work happens in isComplete. */
export function onDeletionProtectionEvent(event: BootstrapEvent): BootstrapResponse {
  const id = requiredString(event.ResourceProperties, 'DBInstanceIdentifier');
  return { PhysicalResourceId: event.PhysicalResourceId ?? `${id}/deletion-protection` };
}

/** The targets named in the properties: Data key, resource name and how to protect it. */
function targets(props: Record<string, unknown>, api: DeletionProtectionApi) {
  const list: Array<{ key: string; name: string; protect: () => Promise<boolean> }> = [];
  const id = requiredString(props, 'DBInstanceIdentifier');
  list.push({ key: 'DatabaseDeletionProtection', name: `DB instance ${id}`, protect: () => api.protectDatabase(id) });
  if (props.LoadBalancerArn !== undefined) {
    const arn = requiredString(props, 'LoadBalancerArn');
    list.push({ key: 'LoadBalancerDeletionProtection', name: `load balancer ${arn}`, protect: () => api.protectLoadBalancer(arn) });
  }
  if (props.TableName !== undefined) {
    const table = requiredString(props, 'TableName');
    list.push({ key: 'TableDeletionProtection', name: `table ${table}`, protect: () => api.protectTable(table) });
  }
  return list;
}

/**
 * isComplete: turns protection on for every target still without it; complete (with one Data
 * attribute per target, `'true'`) once all have it. A refusal other than "busy" fails the step.
 */
export async function isDeletionProtectionComplete(event: BootstrapEvent, api: DeletionProtectionApi): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const data: Record<string, string> = {};
  let complete = true;
  for (const target of targets(event.ResourceProperties, api)) {
    let on: boolean;
    try {
      on = await target.protect();
    } catch (e) {
      // Busy (e.g. the first backup of a new instance, a table update): ask again at the next poll.
      if (!BUSY.test(`${(e as Error).name} ${messageOf(e)}`)) {
        throw new Error(`Cannot turn on deletion protection of ${target.name}: ${messageOf(e)}`);
      }
      on = false;
    }
    complete &&= on;
    data[target.key] = String(on);
  }
  // The framework refuses Data with IsComplete false.
  return complete ? { IsComplete: true, Data: data } : { IsComplete: false };
}


/**
 * The AWS APIs from the AWS SDK for JavaScript v3 that the Lambda Node.js runtime includes (the
 * bundle leaves `@aws-sdk/*` external, so the package needs no client dependency).
 */
export function awsDeletionProtectionApi(): DeletionProtectionApi {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const rdsSdk = require('@aws-sdk/client-rds');
  const elbSdk = require('@aws-sdk/client-elastic-load-balancing-v2');
  const ddbSdk = require('@aws-sdk/client-dynamodb');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const rds = new rdsSdk.RDSClient({});
  const elb = new elbSdk.ElasticLoadBalancingV2Client({});
  const ddb = new ddbSdk.DynamoDBClient({});
  return {
    protectDatabase: async (id) => {
      const described = await rds.send(new rdsSdk.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
      if (described.DBInstances?.[0]?.DeletionProtection === true) return true;
      // No ApplyImmediately: "Some modifications, such as turning on deletion protection and changing
      // the master password, are applied immediately—regardless of when you choose to apply them"
      // (ApplyImmediately, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html;
      // the instance's ModifyDBInstance documents DeletionProtection among the settings without downtime).
      const modified = await rds.send(new rdsSdk.ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: true }));
      return modified.DBInstance?.DeletionProtection === true;
    },
    protectLoadBalancer: async (arn) => {
      // ModifyLoadBalancerAttributes answers with the load balancer's attributes: no Describe needed
      // (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_ModifyLoadBalancerAttributes.html).
      const result = await elb.send(new elbSdk.ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn, Attributes: [{ Key: 'deletion_protection.enabled', Value: 'true' }],
      }));
      return (result.Attributes ?? []).some((a: { Key?: string; Value?: string }) => a.Key === 'deletion_protection.enabled' && a.Value === 'true');
    },
    protectTable: async (tableName) => {
      const described = await ddb.send(new ddbSdk.DescribeTableCommand({ TableName: tableName }));
      if (described.Table?.DeletionProtectionEnabled === true) return true;
      if (described.Table?.TableStatus !== 'ACTIVE') return false;
      // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html (DeletionProtectionEnabled)
      const updated = await ddb.send(new ddbSdk.UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: true }));
      return updated.TableDescription?.DeletionProtectionEnabled === true;
    },
  };
}
