/**
 * Who may use the cluster: the cluster-admin access entries, the `aws eks update-kubeconfig`
 * command that points kubectl at it, and a warning when nobody but the kubectl handler could.
 */
import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ScopeClusterOptions } from './options';
import { PropError, validatePattern } from '../private/validate';
import { warn, WARNINGS } from '../private/warnings';

/**
 * Grants cluster-admin to `adminRoles` and `adminPrincipalArns` (access entries `AdminRole<i>`,
 * `AdminPrincipal<i>` in the cluster), warns when there is none, creates the `KubeconfigCommand`
 * output in `scope` unless turned off, and returns the kubeconfig command.
 */
export function grantClusterAccess(scope: Construct, cluster: eks.Cluster, envName: string, options: ScopeClusterOptions): string {
  validateAdmins(options.adminRoles ?? [], options.adminPrincipalArns ?? []);
  (options.adminRoles ?? []).forEach((role, i) => cluster.grantClusterAdmin(`AdminRole${i}`, role.roleArn));
  (options.adminPrincipalArns ?? []).forEach((arn, i) => cluster.grantClusterAdmin(`AdminPrincipal${i}`, arn));

  // The role kubectl should assume: the first admin role (or the first role among the ARNs).
  const adminRoleArn = options.adminRoles?.[0]?.roleArn ?? options.adminPrincipalArns?.find(arn => /:role\//.test(arn));
  const kubeconfigCommand = `aws eks update-kubeconfig --name ${cluster.clusterName} --region ${Stack.of(scope).region}`
    + (adminRoleArn ? ` --role-arn ${adminRoleArn}` : '');
  if (!options.adminRoles?.length && !options.adminPrincipalArns?.length) {
    warn(scope, WARNINGS.clusterNoAdmin,
      'No IAM principal has cluster-admin access: the only access entry is the kubectl handler\'s role, so kubectl and '
      + 'the kubeconfig command are refused. Set adminRoles (ScopeEnvironment: cluster.adminRoles) to the role you operate with, '
      + 'or adminPrincipalArns for roles and users outside this app.');
  }
  if (options.kubeconfigOutput ?? true) {
    new CfnOutput(scope, 'KubeconfigCommand', {
      value: kubeconfigCommand,
      description: `Points kubectl at the ${envName} Scope cluster`,
    });
  }
  return kubeconfigCommand;
}

/** Admin principals must be IAM role or user ARNs, each at most once (EKS allows one access entry per principal). */
function validateAdmins(roles: iam.IRole[], principalArns: string[]): void {
  principalArns.forEach((arn, i) => validatePattern(`adminPrincipalArns[${i}]`, arn, /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]{1,512}$/,
    'must be the ARN of an IAM role or user, arn:aws:iam::<12-digit account>:role/<name> or :user/<name>'));
  const seen = new Set<string>();
  for (const arn of [...roles.map(r => r.roleArn), ...principalArns].filter(a => !Token.isUnresolved(a))) {
    if (seen.has(arn)) throw new PropError(`Invalid adminRoles/adminPrincipalArns: ${arn} is given twice; EKS allows one access entry per principal.`);
    seen.add(arn);
  }
}
