/**
 * The cluster's EKS managed add-ons: the VPC CNI that ScopeCluster manages, and the version pins
 * of every managed add-on (the EKS Pod Identity agent comes with aws-eks-v2's Cluster).
 */
import { CfnResource } from 'aws-cdk-lib';
import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
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
 * Sets `AddonVersion` on the managed add-ons under `scope` named in `versions`. Without it an add-on
 * keeps the version EKS picked at creation through every cluster upgrade: CloudFormation only
 * calls UpdateAddon when a property changes (the same is reported for Terraform and eksctl,
 * e.g. https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3448).
 */
export function pinAddonVersions(scope: Construct, versions: { [addonName: string]: string }): void {
  const addons = scope.node.findAll().filter((c): c is CfnAddon => c instanceof CfnAddon);
  for (const [name, addonVersion] of Object.entries(versions)) {
    validatePattern(`addonVersions['${name}']`, addonVersion, /^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/,
      `must be an EKS add-on version such as v1.3.10-eksbuild.2 (aws eks describe-addon-versions --addon-name ${name} --kubernetes-version <version>)`);
    const matching = addons.filter(a => a.addonName === name);
    if (matching.length === 0) {
      throw new PropError(`Invalid addonVersions: '${name}' is not a managed add-on of this cluster; its add-ons are ${addons.map(a => `'${a.addonName}'`).join(', ') || 'none'}.`);
    }
    matching.forEach(a => a.addonVersion = addonVersion);
  }
}
