/**
 * GitOps on a bare ScopeCluster, deployed for real: Flux (fluxcd-community flux2 chart) syncs a
 * small public example repository and its Kustomization becomes Ready, i.e. every object of the
 * path was applied and is healthy (`wait: true`).
 *
 * The example is Flux's own getting-started app, https://github.com/stefanprodan/podinfo (branch
 * `master`, path `kustomize`: a Deployment, a Service and a HorizontalPodAutoscaler, public, no
 * credentials). It is only a stand-in: point REPOSITORY / BRANCH / PATH at your application's
 * repository to test that instead.
 *
 * A separate file from integ.scope-environment.ts because that one deploys the helloWorld smoke
 * test, and helloWorld and gitOps are mutually exclusive (both would own the `frontend` Service).
 *
 * How "Ready" is observed: kustomize-controller sets `status.lastAppliedRevision` only after an
 * apply whose health checks passed; a KubernetesObjectValue waits (up to 10 minutes) for it, then
 * reads the Ready condition, and the assertion checks both stack outputs.
 *
 * Expect about 20 minutes (EKS control plane, node group, Flux) and a few US dollars.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { GitOps, ScopeCluster } from '../src';

const REPOSITORY = 'https://github.com/stefanprodan/podinfo';
const BRANCH = 'master';
const PATH = 'kustomize';

const app = new App();
const stack = new Stack(app, 'ScopeGitOpsInteg');
// No frontend: the example app has no `frontend` Service, and the load balancer is not what is tested here.
const cluster = new ScopeCluster(stack, 'Cluster', { envName: 'gitopsinteg', frontend: { enabled: false } });
const gitOps = new GitOps(stack, 'GitOps', {
  cluster,
  repository: REPOSITORY,
  branch: BRANCH,
  path: PATH,
  // podinfo's manifests carry no namespace.
  targetNamespace: 'default',
});

const kustomization = (id: string, jsonPath: string) => {
  const value = new eks.KubernetesObjectValue(stack, id, {
    cluster: cluster.cluster,
    objectType: 'kustomizations.kustomize.toolkit.fluxcd.io',
    objectName: gitOps.name,
    objectNamespace: 'flux-system',
    jsonPath,
    timeout: Duration.minutes(10),
  });
  value.node.addDependency(gitOps.sync);
  return value;
};
const applied = kustomization('AppliedRevision', '.status.lastAppliedRevision');
const ready = kustomization('ReadyStatus', '.status.conditions[?(@.type=="Ready")].status');
ready.node.addDependency(applied);
new CfnOutput(stack, 'KustomizationAppliedRevision', { value: applied.value });
new CfnOutput(stack, 'KustomizationReady', { value: ready.value });

const integ = new IntegTest(app, 'GitOpsTest', { testCases: [stack], regions: ['us-east-1'] });

integ.assertions
  .awsApiCall('CloudFormation', 'describeStacks', { StackName: stack.stackName })
  .expect(ExpectedResult.objectLike({
    Stacks: Match.arrayWith([Match.objectLike({
      Outputs: Match.arrayWith([
        Match.objectLike({ OutputKey: 'KustomizationReady', OutputValue: 'True' }),
        Match.objectLike({ OutputKey: 'KustomizationAppliedRevision', OutputValue: Match.stringLikeRegexp(`^${BRANCH}@sha1:[0-9a-f]{40}$`) }),
      ]),
    })]),
  }));
