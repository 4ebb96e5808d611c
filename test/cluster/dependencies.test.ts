/**
 * The deploy dependency edges of an environment that the critical path (`npx projen bench`,
 * benchmarks/critical-path.ts) relies on: the waits that were removed stay removed, the ones
 * that are needed stay.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EnvironmentProfile, ScopeEnvironment } from '../../src';
import { dependencies, transitiveDependencies } from '../environment/template-graph';

function synth(profile: EnvironmentProfile): any {
  const stack = new Stack(new App(), `deps-${profile}`, { env: { account: '111111111111', region: 'eu-west-1' } });
  new ScopeEnvironment(stack, 'env', { profile });
  return Template.fromStack(stack).toJSON();
}

const ids = (template: any, type: string, pathPart = ''): string[] => Object.entries<any>(template.Resources)
  .filter(([id, r]) => r.Type === type && id.includes(pathPart)).map(([id]) => id);
const one = (template: any, type: string, pathPart = ''): string => {
  const found = ids(template, type, pathPart);
  expect(found).toHaveLength(1);
  return found[0];
};
const addon = (template: any, name: string): string => Object.entries<any>(template.Resources)
  .find(([, r]) => r.Type === 'AWS::EKS::Addon' && r.Properties.AddonName === name)![0];

describe.each([EnvironmentProfile.DEVELOPMENT, EnvironmentProfile.PRODUCTION])('%s deploy dependencies', (profile) => {
  const template = synth(profile);
  const cluster = one(template, 'AWS::EKS::Cluster');
  const nodegroup = one(template, 'AWS::EKS::Nodegroup');
  const privateRoutes = ids(template, 'AWS::EC2::Route', 'privateSubnet');
  const nat = ids(template, 'AWS::EC2::NatGateway');

  test('the control plane waits for its subnets, not for the NAT gateways (saves ~2 min)', () => {
    const before = transitiveDependencies(template, cluster);
    for (const subnet of ids(template, 'AWS::EC2::Subnet', 'privateSubnet')) expect(before).toContain(subnet);
    for (const id of [...nat, ...privateRoutes, ...ids(template, 'AWS::EC2::EIP')]) expect(before).not.toContain(id);
  });

  test('the nodes wait for the NAT routes (egress to join and pull images) and for the vpc-cni add-on', () => {
    const direct = dependencies(template, nodegroup);
    expect(privateRoutes.length).toBeGreaterThan(0);
    for (const route of privateRoutes) expect(direct).toContain(route);
    expect(direct).toContain(addon(template, 'vpc-cni'));
    // The node role does not wait for any of it.
    expect(transitiveDependencies(template, one(template, 'AWS::IAM::Role', 'NodeGroupRole'))).not.toContain(addon(template, 'vpc-cni'));
  });

  test('the kubectl/Helm handler waits for the NAT routes (egress)', () => {
    const handler = one(template, 'AWS::Lambda::Function', 'KubectlProviderHandler');
    for (const route of privateRoutes) expect(transitiveDependencies(template, handler)).toContain(route);
  });

  test('add-ons are created with the cluster, before any node', () => {
    for (const name of ['vpc-cni', 'eks-pod-identity-agent']) {
      const before = transitiveDependencies(template, addon(template, name));
      expect(before).toContain(cluster);
      expect(before).not.toContain(nodegroup);
    }
  });

  test('the controller waits for its credentials and for the nodes (a slow Spot launch cannot run out helm --wait); the binding waits for both', () => {
    const controller = one(template, 'Custom::AWSCDK-EKS-HelmChart');
    const binding = one(template, 'Custom::AWSCDK-EKS-KubernetesResource', 'TargetGroupBinding');
    const controllerDeps = transitiveDependencies(template, controller);
    expect(controllerDeps).toContain(addon(template, 'eks-pod-identity-agent'));
    expect(controllerDeps).toContain(one(template, 'AWS::EKS::PodIdentityAssociation', 'ControllerIdentity'));
    expect(dependencies(template, controller)).toContain(nodegroup);
    expect(template.Resources[controller].Properties.Wait).toBe(true);
    // On delete the nodes, and the controller on them, outlive the binding (its finalizer).
    const bindingDeps = dependencies(template, binding);
    expect(bindingDeps).toContain(nodegroup);
    expect(bindingDeps).toContain(controller);
  });

  test('the database bootstrap function does not wait for the database; its custom resource does', () => {
    const db = one(template, 'AWS::RDS::DBInstance');
    expect(transitiveDependencies(template, one(template, 'AWS::Lambda::Function', 'DatabaseBootstrapFunction'))).not.toContain(db);
    expect(transitiveDependencies(template, one(template, 'Custom::UsersDatabaseBootstrap'))).toContain(db);
  });
});
