/**
 * The frontend record and the extra public names (internal: not exported from the package).
 */
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ResolvedAlias } from './checks';
import { AliasType, EnvironmentDnsProps } from './options';

/** The frontend's alias records; both undefined without `frontend`. */
export interface FrontendRecords {
  readonly a?: route53.ARecord;
  /** Only with `dualStack`. */
  readonly aaaa?: route53.AaaaRecord;
}

/**
 * Writes, in `scope`, `frontendName` in `zone` as an alias to the frontend load balancer, and
 * each alias as a CNAME to `frontendName` or as alias records to the load balancer.
 */
export function createRecords(scope: Construct, props: EnvironmentDnsProps, zone: route53.IHostedZone, frontendName: string,
  aliases: ResolvedAlias[]): FrontendRecords {
  const evaluateTargetHealth = props.evaluateTargetHealth ?? true;
  let records: FrontendRecords = {};
  if (props.frontend) {
    const target = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(props.frontend, { evaluateTargetHealth }));
    const a = new route53.ARecord(scope, 'Frontend', { zone, recordName: `${frontendName}.`, target });
    const aaaa = props.dualStack ? new route53.AaaaRecord(scope, 'FrontendAaaa', { zone, recordName: `${frontendName}.`, target }) : undefined;
    records = { a, aaaa };
  }
  for (const alias of aliases) {
    const recordProps = { zone: alias.zone ?? zone, recordName: `${alias.name}.` };
    if (alias.type === AliasType.CNAME) {
      new route53.CnameRecord(scope, `Alias ${alias.name}`, { ...recordProps, domainName: frontendName });
    } else {
      const target = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(props.frontend!, { evaluateTargetHealth }));
      new route53.ARecord(scope, `Alias ${alias.name}`, { ...recordProps, target });
      if (props.dualStack) new route53.AaaaRecord(scope, `AliasAaaa ${alias.name}`, { ...recordProps, target });
    }
  }
  return records;
}
