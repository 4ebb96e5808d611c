/**
 * cdk-nag over whole environments and over each construct on its own. Every acknowledgement is
 * made by the library next to the resource it concerns (src/private/nag.ts and the constructs),
 * so a consumer's own cdk-nag run sees the same clean result; nothing is acknowledged here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks, NagPack, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { exampleApp } from './environments';
import {
  ControlQueues, EmailSender, EnvironmentDns, EnvironmentMonitoring, EnvironmentProfile, ReportStore, ScopeCluster, ScopeEnvironment,
  ScopeEnvironmentProps,
  ScopeServiceUsers, UsersDatabase,
} from '../../src';

const ENV = { account: '111111111111', region: 'us-east-1' };

interface Finding { readonly rule: string; readonly severity: string; readonly path: string }

/** Every unacknowledged finding of `pack` on `scope`, one per resource. */
function findings(pack: NagPack, scope: IConstruct): Finding[] {
  return pack.validateScope(scope).violations.flatMap(v =>
    v.violatingResources.map(r => ({ rule: v.ruleName, severity: v.severity ?? 'error', path: r.constructPath ?? '' })));
}

/** Readable form for assertions: `error AwsSolutions-XYZ at <path>`. */
function describe_(list: Finding[]): string[] {
  return list.map(f => `${f.severity} ${f.rule} at ${f.path}`);
}

/** Findings as if nothing were acknowledged (cdk-nag's own acknowledgement check switched off). */
function allFindings(pack: NagPack, scope: IConstruct): Finding[] {
  (pack as any).isAcknowledged = () => false;
  return findings(pack, scope);
}

/** Every acknowledgement recorded in the tree under `scope`: construct path, rule id, reason. */
function acknowledgements(scope: IConstruct): Array<{ path: string; id: string; reason: string; construct: IConstruct }> {
  return scope.node.findAll().flatMap(c => c.node.metadata
    .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap(m => Object.entries<string>(m.data).map(([id, reason]) => ({
      path: c.node.path, id: id.replace(/^annotation::/i, ''), reason, construct: c,
    }))));
}

const example = exampleApp();
example.app.synth();

describe('AwsSolutions on the example environments (built like example/app.ts)', () => {
  test.each([
    ['DEVELOPMENT', example.devStack],
    ['PRODUCTION', example.prodStack],
  ])('%s: no unacknowledged error or warning', (_, stack) => {
    expect(describe_(findings(new AwsSolutionsChecks(), stack))).toEqual([]);
  });

  test.each([
    ['DEVELOPMENT', example.devStack],
    ['PRODUCTION', example.prodStack],
  ])('%s: every acknowledgement silences a real finding on its own resource (none is stale or broader than needed)', (_, stack) => {
    const raw = allFindings(new AwsSolutionsChecks(), stack);
    const acks = acknowledgements(stack).filter(a => a.id.startsWith('AwsSolutions-'));
    expect(acks.length).toBeGreaterThan(20);
    const unused = acks.filter(a => !raw.some(f => f.rule === a.id && (f.path === a.path || f.path.startsWith(`${a.path}/`))));
    expect(unused.map(a => `${a.id} at ${a.path}`)).toEqual([]);
  });

  test('acknowledgements sit on the resource or its direct parent, with a reason a reviewer can check', () => {
    for (const ack of acknowledgements(example.app)) {
      const onResource = ack.construct.node.children.length === 0 || ack.construct.node.defaultChild !== undefined;
      expect({ ack: `${ack.id} at ${ack.path}`, onResource }).toEqual({ ack: `${ack.id} at ${ack.path}`, onResource: true });
      expect(ack.reason.length).toBeGreaterThanOrEqual(80);
    }
  });

  test('DEVELOPMENT-only choices are acknowledged only in DEVELOPMENT', () => {
    const ids = (stack: Stack) => new Set(acknowledgements(stack).map(a => a.id));
    for (const id of ['AwsSolutions-RDS3', 'AwsSolutions-DDB3', 'AwsSolutions-VPC7']) {
      expect(ids(example.devStack).has(id)).toBe(true);
      expect(ids(example.prodStack).has(id)).toBe(false);
    }
    // RDS10 in both, for different reasons: off in DEVELOPMENT; in PRODUCTION set by the last step instead of the template.
    const rds10 = (stack: Stack) => [...new Set(acknowledgements(stack).filter(a => a.id === 'AwsSolutions-RDS10').map(a => a.reason))];
    expect(rds10(example.devStack)).toEqual([expect.stringMatching(/^deletionProtection is off/)]);
    expect(rds10(example.prodStack)).toEqual([expect.stringMatching(/^Deletion protection is on, set by the DeletionProtection custom resource/)]);
  });
});

describe('a consumer\'s own cdk-nag run (plain App + Stack + ScopeEnvironment, no acknowledgements of its own)', () => {
  /** What a consumer's AwsSolutions run reports for `new ScopeEnvironment(stack, 'scope', props)` (env undefined: environment-agnostic). */
  function consumerFindings(env: { account: string; region: string } | undefined, props: ScopeEnvironmentProps): string[] {
    const app = new App();
    new ScopeEnvironment(new Stack(app, 'ConsumerStack', { env }), 'scope', props);
    app.synth();
    return describe_(findings(new AwsSolutionsChecks(), app));
  }

  test.each([
    ['DEVELOPMENT, environment-agnostic stack', EnvironmentProfile.DEVELOPMENT, undefined],
    ['PRODUCTION, account and region set', EnvironmentProfile.PRODUCTION, ENV],
  ])('%s: clean', (_, profile, env) => {
    expect(consumerFindings(env, { profile })).toEqual([]);
  });

  test('with every optional part on (queues, Pod Identity, certificate, flow logs in DEVELOPMENT): clean', () => {
    expect(consumerFindings(ENV, {
      vpcFlowLogs: true,
      queues: { queues: ['events', 'jobs'], allowDeleteQueue: true },
      users: { podIdentity: true },
      domain: { zoneName: 'scope.example.com', certificate: true, aliases: [{ name: 'www.scope.example.com' }] },
    })).toEqual([]);
  });

  test('PRODUCTION with its data-keeping settings turned off by props: the matching acknowledgements follow', () => {
    expect(consumerFindings(ENV, {
      profile: EnvironmentProfile.PRODUCTION,
      vpcFlowLogs: false,
      database: { multiAz: false, deletionProtection: false },
      reports: { pointInTimeRecovery: false },
    })).toEqual([]);
  });
});

describe('each construct on its own: no unacknowledged finding on what it creates', () => {
  /** Findings on resources under `construct` only (the test's own VPCs and keys are not the library's). */
  function own(construct: IConstruct): string[] {
    const stack = Stack.of(construct);
    (stack.node.root as App).synth();
    return describe_(findings(new AwsSolutionsChecks(), stack).filter(f => f.path.startsWith(`${construct.node.path}/`)));
  }
  const newStack = () => new Stack(new App(), 'Standalone', { env: ENV });

  test('ScopeCluster with its own VPC, private endpoint and helloWorld', () => {
    const stack = newStack();
    expect(own(new ScopeCluster(stack, 'Cluster', { helloWorld: true, endpointAccess: eks.EndpointAccess.PRIVATE }))).toEqual([]);
  });

  test('ScopeCluster without frontend, all control plane logs', () => {
    const stack = newStack();
    expect(own(new ScopeCluster(stack, 'Cluster', {
      frontend: { enabled: false },
      helloWorld: true,
      clusterLogging: Object.values(eks.ClusterLoggingTypes),
    }))).toEqual([]);
  });

  test('UsersDatabase with enhanced monitoring, Performance Insights, IAM authentication and a customer managed key', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    expect(own(new UsersDatabase(stack, 'Database', {
      vpc,
      monitoringInterval: Duration.seconds(60),
      performanceInsights: true,
      iamAuthentication: true,
      storageEncryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    }))).toEqual([]);
  });

  test('UsersDatabase restored from a snapshot, DEVELOPMENT-like settings', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    expect(own(new UsersDatabase(stack, 'Database', { vpc, snapshotIdentifier: 'scope-prod-final', multiAz: false, deletionProtection: false }))).toEqual([]);
  });

  test('ReportStore + ControlQueues + ScopeServiceUsers with a customer managed key, provisioned billing and pre-created queues', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const reports = new ReportStore(stack, 'Reports', { encryptionKey: key, billing: dynamodb.BillingMode.PROVISIONED, pointInTimeRecovery: true });
    const queues = new ControlQueues(stack, 'Queues', { queues: ['events'] });
    const users = new ScopeServiceUsers(stack, 'Users', { reports, queues });
    expect([...own(reports), ...own(queues), ...own(users)]).toEqual([]);
  });

  test('EnvironmentDns with DNSSEC, query logging, certificate and delegation; EmailSender with a user and with a Pod Identity role', () => {
    const stack = newStack();
    const parent = new route53.PublicHostedZone(stack, 'Parent', { zoneName: 'example.com' });
    const dns = new EnvironmentDns(stack, 'Dns', {
      zoneName: 'dev.example.com',
      dnssec: true,
      queryLogging: true,
      certificate: true,
      parentZone: parent,
      aliases: [{ name: 'scope.dev.example.com' }],
    });
    const zone = dns.zone as route53.IPublicHostedZone;
    const mail = new EmailSender(stack, 'Mail', { zone, mailFromDomain: 'mail.dev.example.com' });
    const cluster = new ScopeCluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc') });
    const podMail = new EmailSender(stack, 'PodMail', { zone, cluster });
    expect([...own(dns), ...own(mail), ...own(podMail)]).toEqual([]);
  });

  test('EnvironmentMonitoring with Container Insights on a cluster, a database, reports and queues', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const cluster = new ScopeCluster(stack, 'Cluster', { vpc });
    const database = new UsersDatabase(stack, 'Database', { vpc });
    expect(own(new EnvironmentMonitoring(stack, 'Monitoring', {
      containerInsights: true,
      alarmEmails: ['ops@example.com'],
      cluster,
      database,
      reports: new ReportStore(stack, 'Reports'),
      queues: new ControlQueues(stack, 'Queues'),
    }))).toEqual([]);
  });

  test('EnvironmentDns delegated from another account', () => {
    const stack = newStack();
    expect(own(new EnvironmentDns(stack, 'Dns', {
      zoneName: 'dev.example.com',
      delegation: { parentZoneName: 'example.com', delegationRoleArn: 'arn:aws:iam::222222222222:role/dns-delegation' },
    }))).toEqual([]);
  });
});

describe('NIST.800.53.R5 (report only)', () => {
  const report: { [stack: string]: { [rule: string]: number } } = {};
  for (const stack of [example.devStack, example.prodStack]) {
    const counts: { [rule: string]: number } = {};
    for (const f of findings(new NIST80053R5Checks(), stack)) counts[f.rule] = (counts[f.rule] ?? 0) + 1;
    report[stack.stackName] = counts;
  }

  test('runs over both profiles and writes a rule -> resource count summary to test-reports/', () => {
    const dir = path.join(__dirname, '..', '..', 'test-reports');
    fs.mkdirSync(dir, { recursive: true });
    const rules = [...new Set(Object.values(report).flatMap(r => Object.keys(r)))].sort();
    const lines = [
      '# cdk-nag NIST.800.53.R5 findings (report only, not enforced)',
      '',
      `| rule | ${Object.keys(report).join(' | ')} |`,
      `| --- | ${Object.keys(report).map(() => '---').join(' | ')} |`,
      ...rules.map(rule => `| ${rule} | ${Object.values(report).map(r => r[rule] ?? 0).join(' | ')} |`),
    ];
    fs.writeFileSync(path.join(dir, 'cdk-nag-nist-800-53-r5.md'), `${lines.join('\n')}\n`);
    expect(Object.keys(report)).toEqual(['scope-dev', 'scope-prod']);
    expect(rules.length).toBeGreaterThan(0);
  });

  test('PRODUCTION has VPC flow logs and point-in-time recovery; DEVELOPMENT is reported without them', () => {
    expect(report['scope-prod']['NIST.800.53.R5-VPCFlowLogsEnabled']).toBeUndefined();
    expect(report['scope-prod']['NIST.800.53.R5-DynamoDBPITREnabled']).toBeUndefined();
    expect(report['scope-dev']['NIST.800.53.R5-VPCFlowLogsEnabled']).toBe(1);
  });
});
