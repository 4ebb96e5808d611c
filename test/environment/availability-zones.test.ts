/**
 * Synthesis never looks availability zones up (so `cdk synth` needs no AWS credentials and gives
 * the same template with or without them), and an existing environment whose app still has the
 * AZs an earlier release looked up (cdk.context.json) keeps exactly its subnets.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { EnvironmentProfile, ScopeCluster, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';

const ENV = { account: '222222222222', region: 'eu-west-1' };
const CONTEXT_KEY = 'availability-zones:account=222222222222:region=eu-west-1';
const LOOKED_UP = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function synth(props: ScopeEnvironmentProps, context: Record<string, unknown> = {}, env = ENV) {
  const app = new App({ context });
  const stack = new Stack(app, 'scope-prod', { env });
  const environment = new ScopeEnvironment(stack, 'prod', props);
  const assembly = app.synth();
  return { stack, environment, assembly, template: assembly.getStackByName('scope-prod').template };
}

/** AvailabilityZone of every subnet, by logical ID. */
function subnetAzs(template: any): Record<string, unknown> {
  return Object.fromEntries(Object.entries<any>(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::EC2::Subnet')
    .map(([id, r]) => [id, r.Properties.AvailabilityZone]));
}

const select = (i: number) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] });

describe('no availability-zone lookup', () => {
  test.each([
    [EnvironmentProfile.DEVELOPMENT, 2],
    [EnvironmentProfile.PRODUCTION, 3],
  ])('%s with an explicit account and region: no missing context, subnets in the first %d AZs CloudFormation lists', (profile, count) => {
    const { assembly, template, stack } = synth({ profile });
    expect(assembly.manifest.missing).toBeUndefined();
    const azs = Object.values(subnetAzs(template));
    expect(azs).toHaveLength(2 * count); // one public and one private subnet per AZ
    expect(new Set(azs.map(az => JSON.stringify(az)))).toEqual(new Set(Array.from({ length: count }, (_, i) => JSON.stringify(select(i)))));
    expect(JSON.stringify(template)).not.toMatch(/dummy1/);
    // the stack's own getter is back (the override lasts only while ec2.Vpc is constructed)
    expect(Object.getOwnPropertyDescriptor(stack, 'availabilityZones')).toBeUndefined();
  });

  test('an existing environment keeps the AZs its cdk.context.json holds: the same subnets ec2.Vpc made from that lookup', () => {
    const { assembly, template } = synth({ profile: EnvironmentProfile.PRODUCTION }, { [CONTEXT_KEY]: [...LOOKED_UP, 'eu-west-1d'] });
    expect(assembly.manifest.missing).toBeUndefined();

    // What earlier releases built: ec2.Vpc with maxAzs, answered by the same context.
    const app = new App({ context: { [CONTEXT_KEY]: [...LOOKED_UP, 'eu-west-1d'] } });
    const before = new Stack(app, 'scope-prod', { env: ENV });
    new ec2.Vpc(new Construct(before, 'prod'), 'Vpc', {
      maxAzs: 3,
      natGateways: 3,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    const old = app.synth().getStackByName('scope-prod').template;
    // same logical IDs, same AZ and CIDR for every subnet: nothing to replace
    const subnets = (t: any) => Object.fromEntries(Object.entries<any>(t.Resources).filter(([, r]) => r.Type === 'AWS::EC2::Subnet')
      .map(([id, r]) => [id, [r.Properties.AvailabilityZone, r.Properties.CidrBlock]]));
    expect(subnets(template)).toEqual(subnets(old));
    expect(Object.keys(subnets(template))).toHaveLength(6);
    expect(new Set(Object.values(subnetAzs(template)))).toEqual(new Set(LOOKED_UP));
  });

  test('availabilityZones pins the names; they win over the context', () => {
    const { assembly, template } = synth({ availabilityZones: ['eu-west-1b', 'eu-west-1c'] }, { [CONTEXT_KEY]: LOOKED_UP });
    expect(assembly.manifest.missing).toBeUndefined();
    expect(Object.values(subnetAzs(template)).sort()).toEqual(['eu-west-1b', 'eu-west-1b', 'eu-west-1c', 'eu-west-1c']);
  });

  test('an environment-agnostic stack keeps the stack\'s own AZ tokens (2), as before', () => {
    const app = new App();
    const stack = new Stack(app, 'agnostic');
    new ScopeEnvironment(stack, 'dev', { profile: EnvironmentProfile.PRODUCTION });
    const assembly = app.synth();
    expect(assembly.manifest.missing).toBeUndefined();
    expect(new Set(Object.values(subnetAzs(assembly.getStackByName('agnostic').template)).map(az => JSON.stringify(az))))
      .toEqual(new Set([JSON.stringify(select(0)), JSON.stringify(select(1))]));
  });

  test('a standalone ScopeCluster makes its 2-AZ VPC without a lookup too', () => {
    const app = new App();
    const stack = new Stack(app, 'cluster', { env: ENV });
    new ScopeCluster(stack, 'Cluster', { availabilityZones: ['eu-west-1a', 'eu-west-1c'] });
    const other = new Stack(app, 'cluster2', { env: ENV });
    new ScopeCluster(other, 'Cluster');
    const assembly = app.synth();
    expect(assembly.manifest.missing).toBeUndefined();
    expect(new Set(Object.values(subnetAzs(assembly.getStackByName('cluster').template)))).toEqual(new Set(['eu-west-1a', 'eu-west-1c']));
    expect(Object.values(subnetAzs(assembly.getStackByName('cluster2').template))).toHaveLength(4);
  });

  test('regions with an AZ where EKS cannot run warn when the AZs are not given', () => {
    const east = synth({}, {}, { account: '222222222222', region: 'us-east-1' });
    Annotations.fromStack(east.stack).hasWarning('/scope-prod/prod', Match.stringLikeRegexp('may include use1-az3, where EKS cannot run.*Set availabilityZones'));
    const pinned = synth({ availabilityZones: ['us-east-1a', 'us-east-1b'] }, {}, { account: '222222222222', region: 'us-east-1' });
    Annotations.fromStack(pinned.stack).hasNoWarning('*', Match.stringLikeRegexp('EKS cannot run'));
    Annotations.fromStack(synth({}).stack).hasNoWarning('*', Match.stringLikeRegexp('EKS cannot run'));
  });

  test.each<[ScopeEnvironmentProps, string]>([
    [{ availabilityZones: ['eu-west-1a'] }, "Invalid availabilityZones [eu-west-1a]: give at least 2 Availability Zone names (EKS needs subnets in two AZs), e.g. ['eu-west-1a', 'eu-west-1b']."],
    [{ availabilityZones: ['eu-west-1a', 'eu-west-1a'] }, "Invalid availabilityZones: 'eu-west-1a' appears twice"],
    [{ availabilityZones: ['eu-west-1a', 'us-east-1b'] }, "Invalid availabilityZones 'us-east-1b': must be an Availability Zone name of the stack's region eu-west-1"],
    [{ availabilityZones: ['euw1-az1', 'euw1-az2'] }, "Invalid availabilityZones 'euw1-az1'"],
  ])('bad availabilityZones %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('availabilityZones together with vpc is refused', () => {
    const app = new App();
    const stack = new Stack(app, 's', { env: ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Existing', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['s-1', 's-2'], publicSubnetIds: ['s-3', 's-4'] });
    expect(() => new ScopeEnvironment(stack, 'prod', { vpc, availabilityZones: ['eu-west-1a', 'eu-west-1b'] }))
      .toThrow('Invalid availabilityZones: only for the VPC ScopeEnvironment creates');
  });
});
