/**
 * Bad props are always explained: each invalid combination below fails at synth time with an
 * Error that names the prop (and says what is allowed), never with a TypeError, a construct-id
 * clash or a deploy-time CloudFormation failure.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import {
  AliasType, ControlQueues, DatabaseCreateOnlySettings, EmailSender, EnvironmentKey, EnvironmentDns, EnvironmentProfile, FrontendEndpoint,
  ReportStore, ScopeCluster, ScopeEnvironment, ScopeEnvironmentProps, ScopeServiceUsers, UsersDatabase,
} from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const newStack = () => new Stack(new App(), 'BadProps', { env: ENV });
/** Cases built through ScopeEnvironment: their message names the prop's path in ScopeEnvironmentProps and the environment's construct path. */
const viaEnvironment = new WeakSet<(s: Stack) => unknown>();
const env = (build: (s: Stack) => unknown) => {
  viaEnvironment.add(build);
  return build;
};
const environment = (props: ScopeEnvironmentProps, id = 'dev') => env(s => new ScopeEnvironment(s, id, props));
const zone = (s: Stack) => new route53.PublicHostedZone(s, 'Zone', { zoneName: 'dev.example.com' });
const vpcWith = (s: Stack, ...types: ec2.SubnetType[]) =>
  new ec2.Vpc(s, 'OwnVpc', { natGateways: types.includes(ec2.SubnetType.PRIVATE_WITH_EGRESS) ? 1 : 0, subnetConfiguration: types.map(t => ({ name: t, subnetType: t })) });
const store = (s: Stack) => new ReportStore(s, 'Store');
const queues = (s: Stack) => new ControlQueues(s, 'Queues');
const certificate = (s: Stack) => acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');

/** [what is wrong, the prop the message must name, how to build it]. */
const CASES: Array<[string, string, (s: Stack) => unknown]> = [
  // ---- ScopeEnvironment ----------------------------------------------------------------------
  ['envName with capitals', 'envName', environment({ envName: 'Prod' })],
  ['envName longer than 20 characters', 'envName', environment({ envName: 'a'.repeat(21) })],
  ['construct id that is no valid envName', 'envName', environment({}, 'Prod_1')],
  ['profile that is not an EnvironmentProfile (JavaScript caller)', 'profile', environment({ profile: 'staging' as EnvironmentProfile })],
  ['vpcFlowLogs with a given vpc', 'vpcFlowLogs', env(s => new ScopeEnvironment(s, 'dev', { vpc: new ec2.Vpc(s, 'Vpc'), vpcFlowLogs: true }))],
  ['alarm email that is no address', 'monitoring.alarmEmails[1]', environment({ monitoring: { alarmEmails: ['ops@example.com', 'ops'] } })],
  ['tag key reserved for AWS', 'tags', environment({ tags: { 'aws:team': 'x' } })],
  ['a HARDENED database without a customer managed key (DEVELOPMENT)', 'database.createOnlySettings',
    environment({ database: { createOnlySettings: DatabaseCreateOnlySettings.HARDENED } })],
  ['encryptionKey that is no EnvironmentKey (JavaScript caller)', 'encryptionKey', environment({ encryptionKey: {} as EnvironmentKey })],
  ['database port out of range', 'database.port', environment({ database: { port: 80 } })],
  ['createOnlySettings that is no DatabaseCreateOnlySettings (JavaScript caller)', 'database.createOnlySettings',
    environment({ database: { createOnlySettings: 'new' as DatabaseCreateOnlySettings } })],
  ['empty tag key', 'tags', environment({ tags: { '': 'x' } })],
  ['tag with characters AWS refuses', 'tags', environment({ tags: { team: 'a;b' } })],
  ['the same envName twice in one stack', 'envName', env(s => {
    new ScopeEnvironment(s, 'first', { envName: 'dev' });
    return new ScopeEnvironment(s, 'dev');
  })],
  ['envNames whose output keys collide in one stack', 'envName', env(s => {
    new ScopeEnvironment(s, 'first', { envName: 'dev-1' });
    return new ScopeEnvironment(s, 'dev', { envName: 'dev1' });
  })],
  // ---- cluster ---------------------------------------------------------------------------------
  ['nodeCount 0', 'cluster.nodeCount', environment({ cluster: { nodeCount: 0 } })],
  ['nodeCount not whole', 'cluster.nodeCount', environment({ cluster: { nodeCount: 2.5 } })],
  ['nodeCount above the node group quota', 'cluster.nodeCount', environment({ cluster: { nodeCount: 451 } })],
  ['nodeDiskSize below 20 GiB', 'cluster.nodeDiskSize', environment({ cluster: { nodeDiskSize: 10 } })],
  ['instanceType that does not parse', 'cluster.instanceType', environment({ cluster: { instanceType: new ec2.InstanceType('bogus') } })],
  ['Kubernetes version without a matching kubectl layer', 'cluster.version', environment({ cluster: { version: eks.KubernetesVersion.V1_33 } })],
  ['Kubernetes version with a patch number', 'cluster.version', environment({ cluster: { version: eks.KubernetesVersion.of('1.36.1') } })],
  ['version pin for an add-on the cluster does not have', 'cluster.addonVersions', environment({ cluster: { addonVersions: { 'vpc-cnii': 'v1.20.0-eksbuild.1' } } })],
  ['add-on version that is no EKS add-on version', "cluster.addonVersions['eks-pod-identity-agent']",
    environment({ cluster: { addonVersions: { 'eks-pod-identity-agent': 'latest' } } })],
  ['admin principal that is not an IAM ARN', 'cluster.adminPrincipalArns[0]', environment({ cluster: { adminPrincipalArns: ['alice'] } })],
  ['the same admin twice', 'cluster.adminRoles/adminPrincipalArns', env(s => new ScopeEnvironment(s, 'dev', {
    cluster: {
      adminRoles: [iam.Role.fromRoleArn(s, 'Admin', 'arn:aws:iam::111111111111:role/admin')],
      adminPrincipalArns: ['arn:aws:iam::111111111111:role/admin'],
    },
  }))],
  ['no listener port', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [] } } })],
  ['listener port 0', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [0] } } })],
  ['the same listener port twice', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [80, 80] } } })],
  ['TLS port 443 without a certificate', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [80, 443] } } })],
  ['certificate without port 443', 'cluster.frontend.certificate', env(s => new ScopeEnvironment(s, 'dev', { cluster: { frontend: { certificate: certificate(s) } } }))],
  ['servicePort out of range', 'cluster.frontend.servicePort', environment({ cluster: { frontend: { servicePort: 70000 } } })],
  ['targetPort 0', 'cluster.frontend.targetPort', environment({ cluster: { frontend: { targetPort: 0 } } })],
  ['namespace that is no Kubernetes name', 'cluster.frontend.namespace', environment({ cluster: { frontend: { namespace: 'Scope_Apps' } } })],
  ['serviceName that is no Kubernetes name', 'cluster.frontend.serviceName', environment({ cluster: { frontend: { serviceName: 'Front End' } } })],
  ['empty controller chart version', 'cluster.frontend.controllerChartVersion', environment({ cluster: { frontend: { controllerChartVersion: '' } } })],
  ['helloWorld behind a targetPort the pods do not listen on', 'cluster.frontend.targetPort', environment({ cluster: { helloWorld: true, frontend: { targetPort: 8080 } } })],
  ['ScopeCluster in a VPC without private subnets', 'vpc', s => new ScopeCluster(s, 'Cluster', { vpc: vpcWith(s, ec2.SubnetType.PUBLIC) })],
  ['service account role with a bad namespace', 'namespace', s => new ScopeCluster(s, 'Cluster').serviceAccountRole('Bad NS', 'query')],
  ['FrontendEndpoint TLS port without a certificate', 'frontend.ports', s => {
    const cluster = new ScopeCluster(s, 'Cluster', { frontend: { enabled: false } });
    return new FrontendEndpoint(s, 'Frontend', { cluster: cluster.cluster, ports: [443] });
  }],
  // ---- database --------------------------------------------------------------------------------
  ['allocatedStorage below 20 GiB', 'database.allocatedStorage', environment({ database: { allocatedStorage: 10 } })],
  ['backupRetention in hours', 'database.backupRetention', environment({ database: { backupRetention: Duration.hours(12) } })],
  ['backupRetention above 35 days', 'database.backupRetention', environment({ database: { backupRetention: Duration.days(36) } })],
  ['monitoringInterval RDS does not offer', 'database.monitoringInterval', environment({ database: { monitoringInterval: Duration.seconds(7) } })],
  ['databaseName of a system database', 'database.databaseName', environment({ database: { databaseName: 'postgres' } })],
  ['appUsername with a reserved prefix', 'database.appUsername', environment({ database: { appUsername: 'pg_scope' } })],
  ['masterUsername that is not an identifier', 'database.masterUsername', environment({ database: { masterUsername: 'Admin-User' } })],
  ['appUsername equal to masterUsername', 'database.appUsername', environment({ database: { appUsername: 'admin', masterUsername: 'admin' } })],
  ['database instanceType with the db. prefix', 'database.instanceType', environment({ database: { instanceType: new ec2.InstanceType('db.t4g.micro') } })],
  ['empty snapshotIdentifier (would silently create an empty database)', 'database.snapshotIdentifier', environment({ database: { snapshotIdentifier: '' } })],
  ['storageEncryptionKey with snapshotIdentifier', 'database.storageEncryptionKey', env(s => new ScopeEnvironment(s, 'dev', {
    database: { snapshotIdentifier: 'users-final', storageEncryptionKey: new kms.Key(s, 'Key') },
  }))],
  ['UsersDatabase in public subnets', 'vpcSubnets', s => new UsersDatabase(s, 'Db', { vpc: new ec2.Vpc(s, 'Vpc'), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })],
  ['UsersDatabase in a VPC with public subnets only', 'vpc', s => new UsersDatabase(s, 'Db', { vpc: vpcWith(s, ec2.SubnetType.PUBLIC) })],
  // ---- reports -----------------------------------------------------------------------------------
  ['tableName too short', 'reports.tableName', environment({ reports: { tableName: 'ab' } })],
  ['bucketName with capitals', 'reports.bucketName', environment({ reports: { bucketName: 'Dev-Reports' } })],
  ['readCapacity with on-demand billing', 'reports.readCapacity', environment({ reports: { readCapacity: 10 } })],
  ['writeCapacity 0 with provisioned billing', 'reports.writeCapacity', environment({ reports: { billing: dynamodb.BillingMode.PROVISIONED, writeCapacity: 0 } })],
  ['reportExpiration shorter than a day', 'reports.reportExpiration', environment({ reports: { reportExpiration: Duration.hours(6) } })],
  ['an existing table plus a table name', 'table', s => new ReportStore(s, 'Store', { table: dynamodb.Table.fromTableName(s, 'T', 'reports'), tableName: 'other' })],
  ['an existing bucket plus server access logs', 'bucket', s => new ReportStore(s, 'Store', {
    bucket: new ReportStore(s, 'Other').bucket, serverAccessLogsBucket: new ReportStore(s, 'Logs').bucket,
  })],
  // ---- queues ------------------------------------------------------------------------------------
  ['queuePrefix with characters SQS refuses', 'queues.queuePrefix', environment({ queues: { queuePrefix: 'dev control.' } })],
  ['queuePrefix too long for queue names', 'queues.queuePrefix', environment({ queues: { queuePrefix: 'a'.repeat(71) } })],
  ['queue name with characters SQS refuses', 'queues.queues[0]', environment({ queues: { queues: ['events!'] } })],
  ['the same queue twice', 'queues.queues[1]', environment({ queues: { queues: ['events', 'events'] } })],
  ['a queue named like another queue\'s dead-letter queue', 'queues.queues[1]', environment({ queues: { queues: ['events', 'events_dlq'] } })],
  ['queue name too long with its _dlq suffix', 'queues.queues[0]', environment({ queues: { queues: ['q'.repeat(70)] } })],
  ['maxReceiveCount 0', 'queues.maxReceiveCount', environment({ queues: { queues: ['events'], maxReceiveCount: 0 } })],
  // ---- users -------------------------------------------------------------------------------------
  ['negative keySerial', 'users.keySerial', environment({ users: { keySerial: -1 } })],
  ['user name IAM refuses', 'users.userNames.writer', environment({ users: { userNames: { writer: 'report writer' } } })],
  ['two users with one name', 'users.userNames.queue', environment({ users: { userNames: { reader: 'scope', queue: 'SCOPE' } } })],
  ['a user name equal to another user\'s default name', 'users.userNames.writer', environment({ users: { userNames: { writer: 'dev_report_reader' } } })],
  ['Pod Identity namespace that is no Kubernetes name', 'users.namespace', environment({ users: { podIdentity: true, namespace: 'Scope' } })],
  ['podIdentity without a cluster', 'podIdentity', s => new ScopeServiceUsers(s, 'Users', { reports: store(s), queues: queues(s), podIdentity: true })],
  ['EmailSender with a MAIL FROM domain outside the zone', 'mailFromDomain', s => new EmailSender(s, 'Mail', { zone: zone(s), mailFromDomain: 'mail.example.org' })],
  ['EmailSender user name IAM refuses', 'userName', s => new EmailSender(s, 'Mail', { zone: zone(s), userName: 'email sender' })],
  // ---- DNS ---------------------------------------------------------------------------------------
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
  // ---- gitOps ------------------------------------------------------------------------------------
  ['scp-like git URL Flux cannot clone', 'gitOps.repository', environment({ gitOps: { repository: 'git@github.com:example/app.git' } })],
  ['ssh:// repository without credentials', 'gitOps.repository', environment({ gitOps: { repository: 'ssh://git@github.com/example/app' } })],
  ['git branch name with ..', 'gitOps.branch', environment({ gitOps: { repository: 'https://github.com/example/app', branch: 'a..b' } })],
  ['sync path outside the repository', 'gitOps.path', environment({ gitOps: { repository: 'https://github.com/example/app', path: '../x' } })],
  ['sync interval under 10 seconds', 'gitOps.interval', environment({ gitOps: { repository: 'https://github.com/example/app', interval: Duration.seconds(1) } })],
  ['helloWorld together with gitOps', 'gitOps', environment({ cluster: { helloWorld: true }, gitOps: { repository: 'https://github.com/example/app' } })],
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('there are at least 30 cases, each with its own description', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(30);
  expect(new Set(CASES.map(([what]) => what)).size).toBe(CASES.length);
});

test.each(CASES)('%s: a synth-time Error naming %s', (_, prop, build) => {
  let error: unknown;
  try {
    build(newStack());
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  const { name, message } = error as Error;
  expect(name).toBe('PropError');
  expect(error).not.toBeInstanceOf(TypeError);
  // The prop by its full path in the props the user wrote (`cluster.nodeCount`) ...
  expect(message).toMatch(new RegExp(`^Invalid ${escape(prop)}[ :]`));
  // ... and, through ScopeEnvironment, which environment it was.
  if (viaEnvironment.has(build)) expect(message).toMatch(/ \(in BadProps\/(dev|Prod_1)\)$/);
  // Not a raw framework failure that only happens to mention a word.
  expect(message).not.toMatch(/There is already a Construct|Cannot read propert|is not a function|undefined/);
});

test('every prop check in src throws a PropError (so ScopeEnvironment can name the prop by its path)', () => {
  const files = (readdirSync(path.join(__dirname, '../../src'), { recursive: true }) as string[])
    // Handler code (a *.lambda.ts entry and its handler/ modules) runs in Lambda, not at synth.
    .filter(f => f.endsWith('.ts') && !f.endsWith('.lambda.ts') && !f.split(path.sep).includes('handler'));
  expect(files.length).toBeGreaterThan(10);
  const plain = files.filter(f => /throw new Error\(['`]Invalid /.test(readFileSync(path.join(__dirname, '../../src', f), 'utf8')));
  expect(plain).toEqual([]);
});
