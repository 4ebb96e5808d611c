import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { acknowledge } from '../private/nag';

/** What configureFlowLogs needs, resolved (ScopeEnvironment's `flowLogsProps`). */
export interface FlowLogsProps {
  /** True when the construct created the VPC; a VPC passed in by the user is left alone. */
  readonly owned: boolean;
  /** Flow logs on (the `vpcFlowLogs` prop or the profile). */
  readonly enabled: boolean;
  /** Removed or kept with the environment's data. */
  readonly removalPolicy: RemovalPolicy;
  /** Encrypts the log group, if given. */
  readonly encryptionKey?: kms.IKey;
}

/**
 * VPC flow logs of the VPC that ScopeEnvironment creates: all traffic to a CloudWatch log group
 * kept one year (children `FlowLogs` and `FlowLog` of the VPC). When they are off, the cdk-nag
 * finding VPC7 is acknowledged with the reason. A VPC passed in by the user is left alone
 * (checkNetworkChoice refuses `vpcFlowLogs` with it).
 */
export function configureFlowLogs(vpc: ec2.IVpc, props: FlowLogsProps): ec2.FlowLog | undefined {
  if (!props.owned || !(vpc instanceof ec2.Vpc)) return undefined;
  if (props.enabled) {
    const logGroup = new logs.LogGroup(vpc, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: props.removalPolicy, encryptionKey: props.encryptionKey });
    return vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup), trafficType: ec2.FlowLogTrafficType.ALL });
  }
  acknowledge(vpc.node.defaultChild as CfnResource, {
    id: 'AwsSolutions-VPC7',
    reason: 'VPC flow logs are off (the DEVELOPMENT profile, or vpcFlowLogs: false): CloudWatch Logs ingestion is billed per GB and a '
      + 'throw-away environment needs no network audit trail. The PRODUCTION profile turns them on (all traffic, kept one year).',
  });
  return undefined;
}
