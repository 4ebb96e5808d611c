import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../private/nag';
import { PropError } from '../private/validate';

/**
 * VPC flow logs of the VPC that ScopeEnvironment creates (`owned`): all traffic to a CloudWatch
 * log group kept one year (encrypted with `encryptionKey` if given), removed or kept with the environment's data (`removalPolicy`). When
 * they are off, the cdk-nag finding VPC7 is acknowledged with the reason. A VPC passed in by the
 * user is left alone, and `vpcFlowLogs` is then refused.
 */
export function configureFlowLogs(vpc: ec2.IVpc, owned: boolean, enabled: boolean | undefined, profileDefault: boolean,
  removalPolicy: RemovalPolicy, encryptionKey?: kms.IKey): ec2.FlowLog | undefined {
  if (!owned || !(vpc instanceof ec2.Vpc)) {
    if (enabled !== undefined) {
      throw new PropError('Invalid vpcFlowLogs: it applies only to the VPC that ScopeEnvironment creates; turn flow logs on for the vpc you pass yourself.');
    }
    return undefined;
  }
  if (enabled ?? profileDefault) {
    const logGroup = new logs.LogGroup(vpc, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy, encryptionKey });
    return vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup), trafficType: ec2.FlowLogTrafficType.ALL });
  }
  acknowledge(vpc.node.defaultChild as CfnResource, {
    id: 'AwsSolutions-VPC7',
    reason: 'VPC flow logs are off (the DEVELOPMENT profile, or vpcFlowLogs: false): CloudWatch Logs ingestion is billed per GB and a '
      + 'throw-away environment needs no network audit trail. The PRODUCTION profile turns them on (all traffic, kept one year).',
  });
  return undefined;
}
