/**
 * resolve.ts: profile + props -> each part's props, without a construct tree. The rule under test
 * everywhere: a prop that is given always wins over the profile (DESIGN.md "Profiles").
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DatabaseCreateOnlySettings, EnvironmentKey, EnvironmentProfile, ScopeCluster, ScopeEnvironmentProps } from '../../src';
import { hasEnvironmentKey } from '../../src/encryption/build-key';
import * as resolve from '../../src/environment/resolve';
import { PROFILE_DEFAULTS } from '../../src/profile';

const DEV = PROFILE_DEFAULTS[EnvironmentProfile.DEVELOPMENT];
const PROD = PROFILE_DEFAULTS[EnvironmentProfile.PRODUCTION];
const PROFILES = [['DEVELOPMENT', DEV], ['PRODUCTION', PROD]] as const;

// Stand-ins: resolve.ts only passes neighbours on, it never reads them.
const vpc = { vpcId: 'vpc-1' } as unknown as ec2.IVpc;
const envKey = { keyArn: 'env-key' } as unknown as kms.IKey;
const otherKey = { keyArn: 'other-key' } as unknown as kms.IKey;
const logBucket = { bucketName: 'logs' } as unknown as s3.IBucket;

describe('resolveBasics', () => {
  test('envName defaults to the construct id, profile to DEVELOPMENT', () => {
    const basics = resolve.resolveBasics('dev', {});
    expect(basics).toEqual({ envName: 'dev', profile: EnvironmentProfile.DEVELOPMENT, defaults: DEV });
  });

  test('given envName and profile win', () => {
    const basics = resolve.resolveBasics('Stack-Id', { envName: 'prod', profile: EnvironmentProfile.PRODUCTION });
    expect(basics).toEqual({ envName: 'prod', profile: EnvironmentProfile.PRODUCTION, defaults: PROD });
  });

  test('a construct id that is no envName is named as the defaulted envName', () => {
    expect(() => resolve.resolveBasics('My_Env', {})).toThrow(/^Invalid envName \(defaulted from the construct id\) 'My_Env'/);
  });

  test('an unknown profile names the allowed values', () => {
    expect(() => resolve.resolveBasics('dev', { profile: 'staging' as EnvironmentProfile }))
      .toThrow("Invalid profile 'staging': must be one of 'development', 'production' (EnvironmentProfile).");
  });
});

describe.each(PROFILES)('%s: a given prop wins over the profile', (_name, d) => {
  test('cluster: node count, capacity, support type and prefix delegation', () => {
    const given = { nodeCount: 7, prefixDelegation: !d.prefixDelegation, detailedMonitoring: !d.nodeDetailedMonitoring, kubeconfigOutput: true };
    const props = resolve.clusterProps({ cluster: given }, d, { vpc, envName: 'e', frontend: {} });
    expect(props).toMatchObject(given);
    expect(resolve.clusterProps({}, d, { vpc, envName: 'e', frontend: {} })).toMatchObject({
      nodeCount: d.nodeCount,
      prefixDelegation: d.prefixDelegation,
      capacityType: d.nodeCapacityType,
      supportType: d.clusterSupportType,
      kubeconfigOutput: false,
      instanceTypes: d.nodeInstanceTypes,
    });
  });

  test('cluster: a given instanceType or instanceTypes drops the profile types', () => {
    const t = new ec2.InstanceType('c7g.large');
    expect(resolve.clusterProps({ cluster: { instanceType: t } }, d, { vpc, envName: 'e', frontend: {} }).instanceTypes).toBeUndefined();
    expect(resolve.clusterProps({ cluster: { instanceTypes: [t] } }, d, { vpc, envName: 'e', frontend: {} }).instanceTypes).toEqual([t]);
  });

  test('cluster: vpc, envName and the resolved frontend come from the environment', () => {
    const props = resolve.clusterProps({ cluster: { nodeCount: 4 } }, d, { vpc, envName: 'e', frontend: { controllerReplicas: 9 } });
    expect(props).toMatchObject({ vpc, envName: 'e', frontend: { controllerReplicas: 9 } });
  });

  test('database: every profile value is replaced by the given one', () => {
    const given = {
      instanceType: new ec2.InstanceType('r7g.large'),
      multiAz: !d.databaseMultiAz,
      backupRetention: Duration.days(3),
      deletionProtection: !d.databaseDeletionProtection,
      monitoringInterval: Duration.seconds(5),
      iamAuthentication: !d.databaseIamAuthentication,
      logExports: !d.databaseLogExports,
      encryptionKey: otherKey,
    };
    expect(resolve.databaseProps({ database: given }, d, { vpc, envName: 'e', encryptionKey: envKey })).toMatchObject(given);
  });

  test('database: the profile deletion protection applies only when removalPolicy is not given', () => {
    const n = { vpc, envName: 'e' };
    expect(resolve.databaseProps({}, d, n).deletionProtection).toBe(d.databaseDeletionProtection);
    const withPolicy = resolve.databaseProps({ database: { removalPolicy: RemovalPolicy.RETAIN } }, d, n);
    expect(withPolicy.deletionProtection).toBeUndefined();
    expect(withPolicy.removalPolicy).toBe(RemovalPolicy.RETAIN);
  });

  test('reports: PITR for a table it creates only, versioning/access logs/events for a bucket it creates only', () => {
    const n = { envName: 'e', encryptionKey: envKey, accessLogsBucket: logBucket };
    expect(resolve.reportStoreProps({}, d, n)).toMatchObject({
      pointInTimeRecovery: d.pointInTimeRecovery,
      versioned: d.bucketVersioned,
      serverAccessLogsBucket: logBucket,
      eventBridge: d.bucketEventBridge,
      removalPolicy: d.storageRemovalPolicy,
      encryptionKey: envKey,
    });
    const bucket = { bucketName: 'mine' } as unknown as s3.IBucket;
    const adopted = resolve.reportStoreProps({ reports: { bucket } }, d, n);
    expect(adopted).toMatchObject({ versioned: undefined, serverAccessLogsBucket: undefined, eventBridge: undefined });
    expect(adopted.pointInTimeRecovery).toBe(d.pointInTimeRecovery);
    const pitr = resolve.reportStoreProps({ reports: { pointInTimeRecovery: !d.pointInTimeRecovery } }, d, n);
    expect(pitr.pointInTimeRecovery).toBe(!d.pointInTimeRecovery);
  });

  test('queues and users: a given encryptionKey wins over the environment key; monitoring always gets the environment key', () => {
    expect(resolve.queuesProps({}, 'e', envKey).encryptionKey).toBe(envKey);
    expect(resolve.queuesProps({ queues: { encryptionKey: otherKey } }, 'e', envKey).encryptionKey).toBe(otherKey);
    const parts = { reports: {} as any, queues: {} as any, cluster: {} as any, database: {} as any };
    const users = resolve.usersProps({ users: { encryptionKey: otherKey } }, { envName: 'e', encryptionKey: envKey, ...parts });
    expect(users.encryptionKey).toBe(otherKey);
    const monitoring = resolve.monitoringProps({ monitoring: { alarmEmails: ['ops@example.com'] } },
      { envName: 'e', profile: EnvironmentProfile.DEVELOPMENT, encryptionKey: envKey, ...parts });
    expect(monitoring).toMatchObject({ encryptionKey: envKey, alarmEmails: ['ops@example.com'], envName: 'e' });
  });

  test('dns: the zone removal policy of the profile unless domain.removalPolicy is given; none without domain', () => {
    const cluster = { frontend: undefined } as unknown as ScopeCluster;
    expect(resolve.dnsProps({}, d, cluster)).toBeUndefined();
    expect(resolve.dnsProps({ domain: { zoneName: 'a.example.com' } }, d, cluster)?.removalPolicy).toBe(d.zoneRemovalPolicy);
    expect(resolve.dnsProps({ domain: { zoneName: 'a.example.com', removalPolicy: RemovalPolicy.RETAIN } }, d, cluster)?.removalPolicy)
      .toBe(RemovalPolicy.RETAIN);
  });

  test('network: flow logs and access logs from the profile unless given; never flow logs on a given VPC', () => {
    expect(resolve.flowLogsProps({}, d)).toMatchObject({ owned: true, enabled: d.vpcFlowLogs, removalPolicy: d.storageRemovalPolicy });
    expect(resolve.flowLogsProps({ vpcFlowLogs: !d.vpcFlowLogs }, d).enabled).toBe(!d.vpcFlowLogs);
    expect(resolve.flowLogsProps({ vpc }, d).owned).toBe(false);
    expect(resolve.accessLogsOn({}, d)).toBe(d.accessLogs);
    expect(resolve.accessLogsOn({ accessLogs: !d.accessLogs }, d)).toBe(!d.accessLogs);
    expect(resolve.vpcProps({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] }, d))
      .toMatchObject({ maxAzs: d.maxAzs, natGateways: d.natGateways, availabilityZones: ['eu-west-1a', 'eu-west-1b'] });
  });

  test('frontend: profile protection and replicas, access-log prefix (only with a TLS listener), then the given options', () => {
    const tls: ScopeEnvironmentProps = { domain: { zoneName: 'e.example.com', certificate: true } };
    expect(resolve.frontendOptions(tls, d, 'e', logBucket)).toEqual({
      deletionProtection: d.frontendDeletionProtection,
      controllerReplicas: d.controllerReplicas,
      ports: [80, 443],
      accessLogsBucket: logBucket,
      accessLogsPrefix: 'e-frontend',
    });
    // No TLS listener, no access logs: a Network Load Balancer writes them for TLS listeners only.
    expect(resolve.frontendOptions({}, d, 'e', logBucket)).not.toHaveProperty('accessLogsBucket');
    expect(resolve.frontendOptions({}, d, 'e')).not.toHaveProperty('accessLogsBucket');
    const given = { deletionProtection: !d.frontendDeletionProtection, controllerReplicas: 5, accessLogsPrefix: 'mine' };
    expect(resolve.frontendOptions({ cluster: { frontend: given } }, d, 'e', logBucket)).toMatchObject(given);
  });
});

describe('encryption key', () => {
  test.each([
    ['DEVELOPMENT default', {}, DEV, false],
    ['PRODUCTION default', {}, PROD, true],
    ['awsManaged in PRODUCTION', { encryptionKey: EnvironmentKey.awsManaged() }, PROD, false],
    ['create in DEVELOPMENT', { encryptionKey: EnvironmentKey.create() }, DEV, true],
    ['fromKey in DEVELOPMENT', { encryptionKey: EnvironmentKey.fromKey(otherKey) }, DEV, true],
  ] as const)('%s', (_name, props: ScopeEnvironmentProps, d, expected) => {
    expect(hasEnvironmentKey(resolve.keyProps(props, d, 'e'))).toBe(expected);
  });
});

describe('HARDENED database storage key', () => {
  const hardened = { createOnlySettings: DatabaseCreateOnlySettings.HARDENED };
  const n = { vpc, envName: 'e', encryptionKey: envKey };

  test('a new HARDENED database gets the environment key for its storage', () => {
    expect(resolve.isHardenedDatabase({ database: hardened })).toBe(true);
    expect(resolve.databaseProps({ database: hardened }, PROD, n).storageEncryptionKey).toBe(envKey);
  });

  test('never for a database restored from a snapshot or created without HARDENED', () => {
    expect(resolve.databaseProps({ database: { ...hardened, snapshotIdentifier: 'snap' } }, PROD, n).storageEncryptionKey).toBeUndefined();
    const original = { createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL };
    expect(resolve.databaseProps({ database: original }, PROD, n).storageEncryptionKey).toBeUndefined();
    // Without createOnlySettings a new database is HARDENED: the environment key, where there is one.
    expect(resolve.databaseProps({}, PROD, n).storageEncryptionKey).toBeDefined();
  });

  test('a given storageEncryptionKey wins', () => {
    expect(resolve.databaseProps({ database: { ...hardened, storageEncryptionKey: otherKey } }, PROD, n).storageEncryptionKey).toBe(otherKey);
  });
});

describe('DNS certificate on the frontend', () => {
  test('with domain.certificate the ports default to 80 and 443', () => {
    const props: ScopeEnvironmentProps = { domain: { zoneName: 'a.example.com', certificate: true } };
    expect(resolve.usesDnsCertificate(props)).toBe(true);
    expect(resolve.frontendOptions(props, DEV, 'e').ports).toEqual([80, 443]);
  });

  test('given ports win; no ports are added without the certificate or without a frontend', () => {
    const domain = { zoneName: 'a.example.com', certificate: true };
    expect(resolve.frontendOptions({ domain, cluster: { frontend: { ports: [443] } } }, DEV, 'e').ports).toEqual([443]);
    expect(resolve.frontendOptions({ domain: { zoneName: 'a.example.com' } }, DEV, 'e').ports).toBeUndefined();
    const off: ScopeEnvironmentProps = { domain, cluster: { frontend: { enabled: false } } };
    expect(resolve.usesDnsCertificate(off)).toBe(false);
    expect(resolve.frontendOptions(off, DEV, 'e').ports).toBeUndefined();
  });
});

describe('switches', () => {
  const gitOps = { repository: 'https://github.com/example/app' };

  test('environmentConfig follows gitOps unless given', () => {
    expect(resolve.environmentConfigOn({})).toBe(false);
    expect(resolve.environmentConfigOn({ gitOps })).toBe(true);
    expect(resolve.environmentConfigOn({ gitOps, environmentConfig: false })).toBe(false);
    expect(resolve.environmentConfigOn({ environmentConfig: true })).toBe(true);
  });

  test('monitoring is on unless enabled: false; gitOps only when given; outputs exported only when asked', () => {
    const parts = { envName: 'e', profile: EnvironmentProfile.DEVELOPMENT, cluster: {} as any, database: {} as any, reports: {} as any, queues: {} as any };
    expect(resolve.monitoringProps({ monitoring: { enabled: false } }, parts)).toBeUndefined();
    expect(resolve.monitoringProps({}, parts)).toMatchObject({ envName: 'e', profile: EnvironmentProfile.DEVELOPMENT });
    expect(resolve.gitOpsProps({}, {} as ScopeCluster, 'e')).toBeUndefined();
    expect(resolve.gitOpsProps({ gitOps }, {} as ScopeCluster, 'e')).toMatchObject({ ...gitOps, envName: 'e' });
    expect(resolve.exportOutputsOn({})).toBe(false);
    expect(resolve.exportOutputsOn({ exportOutputs: true })).toBe(true);
  });
});
