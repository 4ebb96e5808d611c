/**
 * The cluster's EKS managed add-ons: the VPC CNI that ScopeCluster manages, and the version pins
 * of every managed add-on (the EKS Pod Identity agent comes with aws-eks-v2's Cluster).
 */
import { AspectPriority, Aspects, CfnResource, Stack } from 'aws-cdk-lib';
import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IConstruct } from 'constructs';
import { PropError, validatePattern } from '../private/validate';

/**
 * The VPC CNI as a managed add-on (`scope/VpcCni`), so that its configuration is part of the stack.
 * - ResolveConflicts OVERWRITE: the cluster already runs the self-managed aws-node that EKS
 *   installs at creation (and clusters made by earlier releases run it with EKS defaults);
 *   creating the add-on over it with our configuration needs OVERWRITE, "This allows the add-on
 *   to overwrite any existing custom settings" (https://docs.aws.amazon.com/eks/latest/userguide/vpc-add-on-create.html).
 *   PRESERVE is for updates only ("can only be used for upgrading the add-ons but not during
 *   the creation"), and the stack is the one source of this configuration.
 * - PreserveOnDelete: if the add-on ever leaves the template (e.g. a rollback of the release that
 *   adds it to an existing cluster), aws-node keeps running instead of being deleted with it.
 */
export function newVpcCniAddon(scope: Construct, cluster: eks.ICluster, prefixDelegation: boolean): eks.Addon {
  const addon = new eks.Addon(scope, 'VpcCni', {
    cluster,
    addonName: 'vpc-cni',
    preserveOnDelete: true,
    configurationValues: prefixDelegation ? { env: { ENABLE_PREFIX_DELEGATION: 'true' } } : undefined,
  });
  (addon.node.defaultChild as CfnResource).addPropertyOverride('ResolveConflicts', 'OVERWRITE');
  return addon;
}

/**
 * Managed add-ons of the environment created outside ScopeCluster, after it: Container Insights
 * (src/monitoring/container-insights.ts). Pins for them are accepted when the cluster is built.
 */
export const ENVIRONMENT_ADDONS = ['amazon-cloudwatch-observability'];

/**
 * Sets `AddonVersion` on every managed add-on of `cluster` in the stack named in `versions`: the
 * cluster's own (VPC CNI, Pod Identity agent) and those other parts create for it later (Container
 * Insights), through an Aspect that runs at synth, when they all exist. Without it an add-on keeps
 * the version EKS picked at creation through every cluster upgrade: CloudFormation only calls
 * UpdateAddon when a property changes (the same is reported for Terraform and eksctl, e.g.
 * https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3448). A pin for no add-on of
 * this cluster fails: at once for an unknown name, at synth for a known one that was not created
 * (e.g. Container Insights off).
 */
export function pinAddonVersions(scope: Construct, cluster: eks.ICluster, versions: { [addonName: string]: string }): void {
  const own = scope.node.findAll().filter((c): c is CfnAddon => c instanceof CfnAddon).map(a => a.addonName);
  const known = [...new Set([...own, ...ENVIRONMENT_ADDONS])];
  for (const [name, addonVersion] of Object.entries(versions)) {
    validatePattern(`addonVersions['${name}']`, addonVersion, /^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/,
      `must be an EKS add-on version such as v1.3.10-eksbuild.2 (aws eks describe-addon-versions --addon-name ${name} --kubernetes-version <version>)`);
    if (!known.includes(name)) {
      throw new PropError(`Invalid addonVersions: '${name}' is not a managed add-on of this cluster; its add-ons are ${known.map(a => `'${a}'`).join(', ')}.`);
    }
  }
  if (Object.keys(versions).length === 0) return;
  const pinned = new Set<string>();
  Aspects.of(Stack.of(scope)).add({
    visit(node: IConstruct) {
      if (!(node instanceof CfnAddon) || node.clusterName !== cluster.clusterName) return;
      const addonVersion = versions[node.addonName];
      if (addonVersion === undefined) return;
      node.addonVersion = addonVersion;
      pinned.add(node.addonName);
    },
  }, { priority: AspectPriority.MUTATING });
  scope.node.addValidation({
    validate: () => Object.keys(versions).filter(name => !pinned.has(name)).map(name =>
      `Invalid addonVersions: '${name}' is not a managed add-on of this environment (e.g. amazon-cloudwatch-observability needs containerInsights on); remove the pin.`),
  });
}
