/**
 * Deletion protection as the last step of a deploy. Deletion protection would make a failed first
 * deploy end in ROLLBACK_FAILED: CloudFormation cannot delete a protected instance (its delete
 * handler passes no override). So the template leaves DeletionProtection out (an update then
 * never sends it: ModifyDBInstance only gets the properties the template sets) and a last step
 * turns it on once everything else was created.
 */
import { CustomResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { UsersDatabaseInstance } from './instance';

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

/**
 * Creates, in `scope`, the custom resource `DeletionProtection` on the bootstrap's provider (no
 * extra Lambda) that turns deletion protection on, and its policy `DeletionProtectionPolicy`.
 */
export function createDeletionProtectionStep(scope: Construct, inputs: DeletionProtectionStepInputs): CustomResource {
  // A policy of its own that only this step waits for: in the function's default policy, the
  // instance ARN would make the bootstrap function (and so the deploy) wait for the database.
  const policy = new iam.Policy(scope, 'DeletionProtectionPolicy', {
    roles: [inputs.fn.role!],
    statements: [new iam.PolicyStatement({ actions: ['rds:ModifyDBInstance'], resources: [inputs.instance.instanceArn] })],
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
  return step;
}
