/**
 * The HTTPS frontend of a DEVELOPMENT ScopeEnvironment with `domain.certificate`, deployed for real:
 * `https://frontend.<zone>/` answers 200 (the helloWorld app) through the load balancer's TLS
 * listener, with a certificate that verifies: integ-tests-alpha's httpApiCall fetches the URL from
 * a Lambda function with node-fetch, which checks the chain against Node's CA store and the host
 * name, so a self-signed, expired or wrong-name certificate fails the assertion.
 *
 * ACM validates the certificate through DNS, so the environment's zone must be reachable from the
 * internet: it is delegated from a public parent zone in the sandbox account (`parentZone`), named
 * by the environment variables SCOPE_INTEG_PARENT_ZONE_ID and SCOPE_INTEG_PARENT_ZONE_NAME. The
 * committed snapshot is synthesized with the placeholders below; a deploy with your zone writes
 * its own.
 *
 * Expect about 35 minutes and a few US dollars; `cdk destroy` removes everything, including the
 * NS record in the parent zone (DEVELOPMENT).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { EnvironmentProfile, ScopeEnvironment } from '../src';

const parentZoneName = process.env.SCOPE_INTEG_PARENT_ZONE_NAME ?? 'integ.example.com';
const parentZoneId = process.env.SCOPE_INTEG_PARENT_ZONE_ID ?? 'Z0000000000000INTEG';

const app = new App();
const stack = new Stack(app, 'ScopeHttpsInteg');
const parentZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'ParentZone', { hostedZoneId: parentZoneId, zoneName: parentZoneName });
const environment = new ScopeEnvironment(stack, 'httpsinteg', {
  profile: EnvironmentProfile.DEVELOPMENT,
  cluster: { helloWorld: true },
  domain: { zoneName: `scope-https.${parentZoneName}`, parentZone, certificate: true },
});

const integ = new IntegTest(app, 'ScopeHttpsTest', { testCases: [stack], regions: ['us-east-1'] });

// The target turns healthy a minute or two after the deploy, and resolvers may still cache the
// name's absence from before the delegation.
integ.assertions
  .httpApiCall(`https://${environment.dns!.frontendName}/`)
  .expect(ExpectedResult.objectLike({ status: 200, ok: true }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
