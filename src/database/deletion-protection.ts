/**
 * Deletion protection as the last step of a deploy. Deletion protection would make a failed first
 * deploy end in ROLLBACK_FAILED: CloudFormation cannot delete a protected instance, load balancer
 * ("OperationNotPermitted") or table. So the templates leave it out and one last step, the custom
 * resource `DeletionProtection`, turns it on once everything else was created. For the instance
 * an update then never sends it (ModifyDBInstance only gets the properties the template sets);
 * see `protectWithStep` for the load balancer and the table.
 */
import { CfnResource, CustomResource, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { UsersDatabaseInstance } from './instance';

/** How long the step may take: RDS refuses modifications while the first backup of a new instance runs. */
export const PROTECTION_TOTAL_TIMEOUT = Duration.minutes(30);
/** How often the provider framework asks the step whether every target is protected. */
export const PROTECTION_QUERY_INTERVAL = Duration.seconds(20);

/** Leaves DeletionProtection out of the instance's template when the step sets it, else sets it false. */
export function leaveDeletionProtectionToStep(instance: UsersDatabaseInstance, deletionProtection: boolean): void {
  const cfnInstance = instance.node.defaultChild as rds.CfnDBInstance;
  cfnInstance.deletionProtection = deletionProtection ? undefined : false;
}

/** What the step works with: the bootstrap's provider and function, and the resource it runs after. */
export interface DeletionProtectionStepInputs {
  readonly instance: UsersDatabaseInstance;
  readonly provider: cr.Provider;
  readonly fn: lambda.IFunction;
  readonly bootstrap: CustomResource;
}

/** The policy of each step (its statements grow with `protectWithStep`). */
const POLICIES = new WeakMap<CustomResource, iam.Policy>();

/**
 * Creates, in `scope`, the custom resource `DeletionProtection` on the bootstrap's provider (no
 * extra handler) that turns deletion protection on, and its policy `DeletionProtectionPolicy`.
 */
export function createDeletionProtectionStep(scope: Construct, inputs: DeletionProtectionStepInputs): CustomResource {
  // A policy of its own that only this step waits for: in the function's default policy, the
  // instance ARN would make the bootstrap function (and so the deploy) wait for the database.
  // DescribeDBInstances: the step turns protection on only where it is off (isComplete polls).
  const policy = new iam.Policy(scope, 'DeletionProtectionPolicy', {
    roles: [inputs.fn.role!],
    statements: [new iam.PolicyStatement({ actions: ['rds:ModifyDBInstance', 'rds:DescribeDBInstances'], resources: [inputs.instance.instanceArn] })],
  });
  const step = new CustomResource(scope, 'DeletionProtection', {
    serviceToken: inputs.provider.serviceToken,
    resourceType: 'Custom::UsersDatabaseDeletionProtection',
    properties: {
      DBInstanceIdentifier: inputs.instance.instanceIdentifier,
      DeletionProtection: true,
    },
  });
  step.node.addDependency(inputs.bootstrap, policy);
  POLICIES.set(step, policy);
  return step;
}

/** Resources beside the database that the step protects. */
export interface StepTargets {
  /** ARN of a load balancer whose template leaves `deletion_protection.enabled` out. */
  readonly loadBalancerArn?: string;
  /** Name and ARN of a DynamoDB table whose template leaves `DeletionProtectionEnabled` out. */
  readonly table?: { readonly name: string; readonly arn: string };
}

/**
 * Adds a load balancer and a table to the step (properties `LoadBalancerArn`, `TableName`) with
 * exactly the permissions it needs on them. Existing stacks: adding these properties is an Update
 * of the step, which runs last in the same deploy that drops the setting from the templates, so a
 * resource that CloudFormation turned unprotected on that update is protected again before the
 * deploy completes (the provider framework runs Update like Create: onEvent, then isComplete).
 */
export function protectWithStep(step: CustomResource, targets: StepTargets): void {
  const policy = POLICIES.get(step);
  if (!policy) throw new Error(`${step.node.path} is not a deletion protection step.`);
  const cfnStep = step.node.defaultChild as CfnResource;
  if (targets.loadBalancerArn) {
    cfnStep.addPropertyOverride('LoadBalancerArn', targets.loadBalancerArn);
    // The ModifyLoadBalancerAttributes answer lists the attributes: no Describe* (which takes no resource ARN) needed.
    policy.addStatements(new iam.PolicyStatement({ actions: ['elasticloadbalancing:ModifyLoadBalancerAttributes'], resources: [targets.loadBalancerArn] }));
  }
  if (targets.table) {
    cfnStep.addPropertyOverride('TableName', targets.table.name);
    policy.addStatements(new iam.PolicyStatement({ actions: ['dynamodb:UpdateTable', 'dynamodb:DescribeTable'], resources: [targets.table.arn] }));
  }
}
