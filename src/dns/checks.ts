/**
 * Synth-time checks of EnvironmentDns props (internal: not exported from the package). Each
 * function throws a PropError naming the prop; names are compared only when not tokens.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { isInZone, stripDot, validateDomainName } from './names';
import { AliasType, EnvironmentDnsProps } from './options';
import { PropError, validatePattern } from '../private/validate';
import { warn, WARNINGS, WarningId } from '../private/warnings';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** An alias after validation: name without trailing dot, type filled in. */
export interface ResolvedAlias {
  readonly name: string;
  readonly type: AliasType;
  /** undefined: this environment's zone. */
  readonly zone?: route53.IHostedZone;
}

/** Checks the zone, delegation, dual-stack and region-bound props against `zoneName` (normalized). */
export function validateZoneProps(scope: Construct, props: EnvironmentDnsProps, zoneName: string): void {
  validateImportedZone(props, zoneName);
  validateParent(props, zoneName);
  if (props.dualStack) {
    // AAAA records only answer if the load balancer has IPv6 addresses. One built in this app
    // tells (IpAddressType); an imported one is taken at its word.
    const cfn = props.frontend?.node.defaultChild as elbv2.CfnLoadBalancer | undefined;
    if (!props.frontend || (cfn instanceof elbv2.CfnLoadBalancer && cfn.ipAddressType !== 'dualstack')) {
      throw new PropError('Invalid dualStack: AAAA records need a dual-stack frontend load balancer (IpAddressType dualstack, in a VPC '
        + 'with IPv6 CIDRs), and ' + (props.frontend ? 'this one is IPv4 only (the ScopeCluster frontend is)' : 'there is no frontend')
        + '; remove dualStack.');
    }
  }
  if (props.queryLogRetention !== undefined && !props.queryLogging) {
    throw new PropError('Invalid queryLogRetention: it applies only with queryLogging: true.');
  }
  if (props.queryLogging) requireUsEast1(scope, 'queryLogging', 'Route 53 writes query logs only to CloudWatch Logs in us-east-1', WARNINGS.dnsQueryLoggingRegion);
  if (props.dnssec) requireUsEast1(scope, 'dnssec', 'Route 53 uses DNSSEC signing keys only from KMS in us-east-1', WARNINGS.dnsDnssecRegion);
}

/** An imported zone must be named `zoneName` and takes none of the options of a zone created here. */
function validateImportedZone(props: EnvironmentDnsProps, zoneName: string): void {
  if (!props.zone) return;
  const given = zoneNameOf(props.zone, 'zone');
  if (!Token.isUnresolved(given) && !Token.isUnresolved(zoneName) && given !== zoneName) {
    throw new PropError(`Invalid zone: its name '${given}' is not zoneName '${zoneName}'.`);
  }
  for (const prop of ['parentZone', 'delegation', 'dnssec', 'queryLogging'] as const) {
    if (props[prop]) {
      throw new PropError(`Invalid ${prop}: it applies only to a zone this construct creates; remove it or remove zone.`);
    }
  }
}

/** At most one parent (same or other account), and `zoneName` must lie below it. */
function validateParent(props: EnvironmentDnsProps, zoneName: string): void {
  if (props.parentZone && props.delegation) {
    throw new PropError('Invalid parentZone and delegation: give at most one (parentZone for a parent zone in this account, delegation for one in another account).');
  }
  if (props.parentZone) {
    const parent = zoneNameOf(props.parentZone, 'parentZone');
    if (isInZone(zoneName, parent) === false || parent === zoneName) {
      throw new PropError(`Invalid parentZone '${parent}': zoneName '${zoneName}' must be a subdomain of it.`);
    }
  }
  if (props.delegation) {
    const { parentZoneName, delegationRoleArn } = props.delegation;
    if (!parentZoneName) throw new PropError('Invalid delegation.parentZoneName: required, the name of the parent zone in the other account.');
    validateDomainName('delegation.parentZoneName', parentZoneName);
    const parent = stripDot(parentZoneName);
    if (isInZone(zoneName, parent) === false || parent === zoneName) {
      throw new PropError(`Invalid delegation.parentZoneName '${parentZoneName}': zoneName '${zoneName}' must be a subdomain of it.`);
    }
    if (!delegationRoleArn) {
      throw new PropError('Invalid delegation.delegationRoleArn: required, the ARN of the role in the parent zone\'s account (arn:aws:iam::<account>:role/<name>).');
    }
    validatePattern('delegation.delegationRoleArn', delegationRoleArn, ROLE_ARN, 'must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>');
  }
}

/**
 * The aliases with names normalized, zones and types filled in, after checking each against the
 * frontend record `frontendName` in `zoneName` and the earlier aliases.
 */
export function validateAliases(scope: Construct, props: EnvironmentDnsProps, zoneName: string, frontendName: string): ResolvedAlias[] {
  const seen = new Set<string>([`${frontendName} ${zoneName}`]);
  return (props.aliases ?? []).map((alias, i) => {
    const prop = `aliases[${i}]`;
    if (!alias.name) throw new PropError(`Invalid ${prop}.name: required, a fully qualified name such as scope.example.com.`);
    validateDomainName(`${prop}.name`, alias.name, true);
    const name = Token.isUnresolved(alias.name) ? alias.name : stripDot(alias.name);
    const aliasZoneName = alias.zone ? zoneNameOf(alias.zone, `${prop}.zone`) : zoneName;
    if (isInZone(name, aliasZoneName) === false) {
      throw new PropError(`Invalid ${prop}.name '${alias.name}': it is outside the zone it is written into (${aliasZoneName}); `
        + `use a name ending in .${aliasZoneName}, or set ${prop}.zone to the zone that holds it.`);
    }
    const type = alias.type ?? AliasType.CNAME;
    if (type === AliasType.CNAME && name === aliasZoneName) {
      throw new PropError(`Invalid ${prop}.type CNAME for '${alias.name}': a CNAME cannot be at a zone apex; use AliasType.ALIAS.`);
    }
    if (type === AliasType.ALIAS && !props.frontend) {
      throw new PropError(`Invalid ${prop}.type ALIAS for '${alias.name}': an alias record needs the frontend load balancer (frontend); use AliasType.CNAME.`);
    }
    const key = `${name} ${aliasZoneName}`;
    if (seen.has(key)) throw new PropError(`Invalid ${prop}.name '${alias.name}': the name is already used by the frontend record or an earlier alias.`);
    seen.add(key);
    if (!props.frontend) {
      warn(scope, WARNINGS.dnsAliasWithoutFrontend,
        `${prop}: ${name} is a CNAME to ${frontendName}, which this construct does not create without frontend.`);
    }
    return { name, type, zone: alias.zone };
  });
}

/** Fails unless the stack is in us-east-1; warns when its region is a token. */
function requireUsEast1(scope: Construct, prop: string, reason: string, warningId: WarningId): void {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) {
    warn(scope, warningId,
      `${prop}: ${reason}; this stack's region is unknown at synth time: deploy it to us-east-1.`);
  } else if (region !== 'us-east-1') {
    throw new PropError(`Invalid ${prop}: ${reason}, and this stack is in ${region}. Deploy the DNS stack to us-east-1 or turn ${prop} off.`);
  }
}

/** The name of an imported zone, without trailing dot; fails clearly when the import does not know it. */
function zoneNameOf(zone: route53.IHostedZone, prop: string): string {
  let name: string;
  try {
    name = zone.zoneName;
  } catch {
    throw new PropError(`Invalid ${prop}: its zone name is unknown; import the zone with HostedZone.fromHostedZoneAttributes() or fromLookup(), not fromHostedZoneId().`);
  }
  return Token.isUnresolved(name) ? name : stripDot(name);
}
