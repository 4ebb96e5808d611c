/**
 * ScopeCluster, deployed for real with the helloWorld smoke test: the stack-owned frontend load
 * balancer answers HTTP 200 on `/` once the AWS Load Balancer Controller has bound the
 * `frontend` Service's pod to the target group (no manual copy of any ELB address).
 *
 * Expect about 25 minutes (EKS control plane, node group, controller) and a few US dollars.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { ScopeCluster } from '../src/cluster';

const app = new App();
const stack = new Stack(app, 'ScopeClusterInteg');
const cluster = new ScopeCluster(stack, 'Cluster', { envName: 'clusterinteg', helloWorld: true });

const integ = new IntegTest(app, 'ClusterTest', { testCases: [stack], regions: ['us-east-1'] });

// The binding registers the pod and the target turns healthy a minute or two after the deploy.
integ.assertions
  .httpApiCall(`http://${cluster.frontend!.loadBalancer.loadBalancerDnsName}/`)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
