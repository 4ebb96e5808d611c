/**
 * How the parts of a ScopeEnvironment are tied together once they exist: security-group rules,
 * dependencies, the DNS certificate on the frontend listener, tags and outputs. Every function
 * takes the environment as its scope and creates no construct of its own but the ones named.
 */
import { Lazy, Tags } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct, Dependable } from 'constructs';
import { addOutputs } from './outputs';
import { EnvironmentParts } from './parts';
import { ScopeEnvironmentProps } from './props';
import { exportOutputsOn, usesDnsCertificate } from './resolve';
import { UsersDatabase } from '../database';
import { protectWithStep } from '../database/deletion-protection';
import { EnvironmentDns } from '../dns';
import { FrontendOptions } from '../frontend';
import { leaveLoadBalancerProtectionToStep } from '../frontend/load-balancer';
import { EnvironmentConfig, GitOps } from '../gitops';
import { ScopeServiceUsers } from '../iam';
import { leaveTableProtectionToStep } from '../storage/report-store';

/**
 * With `domain.certificate`, the frontend's TLS listener takes the certificate EnvironmentDns
 * creates (it needs the zone, and the DNS records need the load balancer, so DNS comes after the
 * cluster): a reference `FrontendCertificate` in `scope` whose ARN resolves at synth time, so
 * CloudFormation creates the certificate before the listener.
 */
export function withDnsCertificate(scope: Construct, props: ScopeEnvironmentProps, frontend: FrontendOptions,
  dns: () => EnvironmentDns | undefined): FrontendOptions {
  if (!usesDnsCertificate(props)) return frontend;
  const certificate = acm.Certificate.fromCertificateArn(scope, 'FrontendCertificate', Lazy.string({
    produce: () => {
      const created = dns()?.certificate;
      if (!created) throw new Error('domain.certificate: EnvironmentDns did not create the certificate.');
      return created.certificateArn;
    },
  }));
  return { ...frontend, certificate };
}

/** Everything that ties the parts together, after the last part is created. */
export function wireEnvironment(env: Construct & EnvironmentParts, props: ScopeEnvironmentProps): void {
  // Nodes and the control plane share the cluster security group: the database admits it alone.
  env.database.allowFrom(env.cluster.eksCluster.clusterSecurityGroup, 'PostgreSQL from the EKS cluster');
  if (env.gitOps) syncAfterEnvironment(env.gitOps, env.users, env.environmentConfig);
  protectLast(env);
  tagEnvironment(env, env.envName, props.tags);
  addOutputs(env, env, exportOutputsOn(props));
}

/** The application starts with its ConfigMap, service accounts and Pod Identity roles in place. */
export function syncAfterEnvironment(gitOps: GitOps, users: ScopeServiceUsers, environmentConfig?: EnvironmentConfig): void {
  if (environmentConfig) gitOps.sync.node.addDependency(environmentConfig);
  for (const user of [users.reportWriter, users.reportReader, users.queueReadWriter]) {
    // The role's scope also holds its Pod Identity association (ScopeCluster.serviceAccountRole).
    if (user.role) gitOps.sync.node.addDependency(user.role.node.scope ?? user.role);
  }
}

/**
 * The deletion protection step of the database protects the frontend load balancer and the
 * reports table too (their templates then leave protection out), and waits for every other part
 * of the environment: it runs last, and a first deploy that fails anywhere can still delete every
 * resource it created. The parts are read at synth time, so parts added after this call count too.
 * Without the step (database protection off), the load balancer and the table keep their own setting.
 */
export function protectLast(env: Construct & EnvironmentParts): void {
  const step = env.database.deletionProtectionStep;
  if (!step) return;
  const nlb = env.cluster.frontend?.loadBalancer;
  const loadBalancerOn = nlb instanceof elbv2.NetworkLoadBalancer && leaveLoadBalancerProtectionToStep(nlb);
  const tableOn = leaveTableProtectionToStep(env.reports);
  protectWithStep(step, {
    loadBalancerArn: loadBalancerOn ? nlb.loadBalancerArn : undefined,
    table: tableOn ? { name: env.reports.table.tableName, arn: env.reports.table.tableArn } : undefined,
  });
  protectDatabaseLast(env, env.database);
}

/** The database's deletion protection step waits for every other part of `scope`. */
export function protectDatabaseLast(scope: Construct, database: UsersDatabase): void {
  const step = database.deletionProtectionStep;
  if (!step) return;
  const everythingElse = {};
  Dependable.implement(everythingElse, {
    get dependencyRoots() {
      return scope.node.children.filter(child => child !== database);
    },
  });
  step.node.addDependency(everythingElse);
}

/** `scope:environment=<envName>` and the user's tags on every resource of the environment. */
export function tagEnvironment(scope: Construct, envName: string, tags: { [key: string]: string } | undefined): void {
  Tags.of(scope).add('scope:environment', envName);
  for (const [key, value] of Object.entries(tags ?? {})) {
    Tags.of(scope).add(key, value);
  }
}
