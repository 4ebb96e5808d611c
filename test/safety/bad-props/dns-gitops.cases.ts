/** Bad props of domain and gitOps. */
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { BadPropsCase, env, environment } from './harness';
import { AliasType, EnvironmentDns, ScopeEnvironment } from '../../../src';

export const DNS_GITOPS_CASES: BadPropsCase[] = [
  // ---- DNS ----
  ['zoneName of one label', 'domain.zoneName', environment({ domain: { zoneName: 'localhost' } })],
  ['frontendRecordName given as a full name', 'domain.frontendRecordName', environment({ domain: { zoneName: 'dev.example.com', frontendRecordName: 'frontend.dev.example.com' } })],
  ['alias outside the zone', 'domain.aliases[0].name', environment({ domain: { zoneName: 'dev.example.com', aliases: [{ name: 'scope.example.org' }] } })],
  ['CNAME alias at the zone apex', 'domain.aliases[0].type', environment({ domain: { zoneName: 'dev.example.com', aliases: [{ name: 'dev.example.com' }] } })],
  ['alias equal to the frontend record', 'domain.aliases[0].name', environment({ domain: { zoneName: 'dev.example.com', aliases: [{ name: 'frontend.dev.example.com' }] } })],
  ['ALIAS record without a frontend', 'domain.aliases[0].type', environment({
    cluster: { frontend: { enabled: false } },
    domain: { zoneName: 'dev.example.com', aliases: [{ name: 'dev.example.com', type: AliasType.ALIAS }] },
  })],
  ['parentZone and delegation together', 'domain.parentZone and delegation', env(s => new ScopeEnvironment(s, 'dev', {
    domain: {
      zoneName: 'dev.example.com',
      parentZone: new route53.PublicHostedZone(s, 'Parent', { zoneName: 'example.com' }),
      delegation: { parentZoneName: 'example.com', delegationRoleArn: 'arn:aws:iam::222222222222:role/dns' },
    },
  }))],
  ['parentZone that is not a parent', 'parentZone', s => new EnvironmentDns(s, 'Dns', {
    zoneName: 'dev.example.com', parentZone: new route53.PublicHostedZone(s, 'Parent', { zoneName: 'example.org' }),
  })],
  ['delegation role that is not a role ARN', 'domain.delegation.delegationRoleArn', environment({
    domain: { zoneName: 'dev.example.com', delegation: { parentZoneName: 'example.com', delegationRoleArn: 'dns-delegation' } },
  })],
  ['AAAA records for the IPv4-only frontend', 'domain.dualStack', environment({ domain: { zoneName: 'dev.example.com', dualStack: true } })],
  ['DNSSEC outside us-east-1', 'domain.dnssec', environment({ domain: { zoneName: 'dev.example.com', dnssec: true } })],
  ['query logging outside us-east-1', 'domain.queryLogging', environment({ domain: { zoneName: 'dev.example.com', queryLogging: true } })],
  ['queryLogRetention without queryLogging', 'domain.queryLogRetention', environment({ domain: { zoneName: 'dev.example.com', queryLogRetention: logs.RetentionDays.ONE_WEEK } })],
  ['an existing zone with another name', 'zone', s => new EnvironmentDns(s, 'Dns', {
    zoneName: 'dev.example.com', zone: route53.HostedZone.fromHostedZoneAttributes(s, 'Z', { hostedZoneId: 'Z1', zoneName: 'prod.example.com' }),
  })],
  ['an existing zone imported without its name', 'zone', s => new EnvironmentDns(s, 'Dns', { zoneName: 'dev.example.com', zone: route53.HostedZone.fromHostedZoneId(s, 'Z', 'Z1') })],
  // ---- gitOps ----
  ['scp-like git URL Flux cannot clone', 'gitOps.repository', environment({ gitOps: { repository: 'git@github.com:example/app.git' } })],
  ['ssh:// repository without credentials', 'gitOps.repository', environment({ gitOps: { repository: 'ssh://git@github.com/example/app' } })],
  ['git branch name with ..', 'gitOps.branch', environment({ gitOps: { repository: 'https://github.com/example/app', branch: 'a..b' } })],
  ['sync path outside the repository', 'gitOps.path', environment({ gitOps: { repository: 'https://github.com/example/app', path: '../x' } })],
  ['sync interval under 10 seconds', 'gitOps.interval', environment({ gitOps: { repository: 'https://github.com/example/app', interval: Duration.seconds(1) } })],
  ['helloWorld together with gitOps', 'gitOps', environment({ cluster: { helloWorld: true }, gitOps: { repository: 'https://github.com/example/app' } })],
  // ---- added for issue 26: empty and malformed names, contradictory delegation ----
  ['empty zoneName', 'domain.zoneName', environment({ domain: { zoneName: '' } })],
  ['zoneName with capitals', 'domain.zoneName', environment({ domain: { zoneName: 'Dev.Example.com' } })],
  ['zoneName label longer than 63 characters', 'domain.zoneName', environment({ domain: { zoneName: `${'a'.repeat(64)}.example.com` } })],
  ['empty frontendRecordName', 'domain.frontendRecordName', environment({ domain: { zoneName: 'dev.example.com', frontendRecordName: '' } })],
  ['alias without a name', 'domain.aliases[0].name', environment({ domain: { zoneName: 'dev.example.com', aliases: [{ name: '' }] } })],
  ['the same alias twice', 'domain.aliases[1].name', environment({ domain: { zoneName: 'dev.example.com', aliases: [{ name: 'a.dev.example.com' }, { name: 'a.dev.example.com' }] } })],
  ['delegation to a zone that is not the parent', 'domain.delegation.parentZoneName', environment({
    domain: { zoneName: 'dev.example.com', delegation: { parentZoneName: 'example.org', delegationRoleArn: 'arn:aws:iam::222222222222:role/dns' } },
  })],
  ['empty delegation role', 'domain.delegation.delegationRoleArn', environment({
    domain: { zoneName: 'dev.example.com', delegation: { parentZoneName: 'example.com', delegationRoleArn: '' } },
  })],
  ['empty git repository', 'gitOps.repository', environment({ gitOps: { repository: '' } })],
  ['empty git branch', 'gitOps.branch', environment({ gitOps: { repository: 'https://github.com/example/app', branch: '' } })],
  ['absolute sync path', 'gitOps.path', environment({ gitOps: { repository: 'https://github.com/example/app', path: '/abs' } })],
  ['sync timeout 0', 'gitOps.timeout', environment({ gitOps: { repository: 'https://github.com/example/app', timeout: Duration.seconds(0) } })],
  ['targetNamespace that is no Kubernetes name', 'gitOps.targetNamespace', environment({ gitOps: { repository: 'https://github.com/example/app', targetNamespace: 'Apps' } })],
  ['empty Flux chart version', 'gitOps.chartVersion', environment({ gitOps: { repository: 'https://github.com/example/app', chartVersion: '' } })],
];
