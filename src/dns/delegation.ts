/**
 * Delegation of the environment zone from its parent domain (internal: not exported from the package).
 */
import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { stripDot } from './names';
import { EnvironmentDnsProps } from './options';

/**
 * Writes, in `scope`, the NS records for `zone` into its parent (same or other account); without
 * a parent, outputs the name servers (the output is returned).
 */
export function delegateZone(scope: Construct, props: EnvironmentDnsProps, zone: route53.IHostedZone, zoneName: string): CfnOutput | undefined {
  const nameServers = zone.hostedZoneNameServers!;
  if (props.parentZone) {
    new route53.ZoneDelegationRecord(scope, 'Delegation', {
      zone: props.parentZone,
      recordName: `${zoneName}.`,
      nameServers,
    });
  } else if (props.delegation) {
    new route53.CrossAccountZoneDelegationRecord(scope, 'CrossAccountDelegation', {
      delegatedZone: zone,
      parentHostedZoneName: stripDot(props.delegation.parentZoneName),
      delegationRole: iam.Role.fromRoleArn(scope, 'DelegationRole', props.delegation.delegationRoleArn),
    });
  } else {
    return new CfnOutput(scope, 'NameServers', {
      value: Fn.join(',', nameServers),
      description: `Name servers of ${zoneName}: add them as NS records for ${zoneName} at the parent domain's DNS provider (e.g. CloudFlare).`,
    });
  }
  return undefined;
}
