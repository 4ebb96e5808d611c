/**
 * EnvironmentDns, deployed for real: a zone `scope-integ.example.com` (nobody delegates it, which
 * is fine: Route 53 answers the API call below either way), the `frontend` A alias to a plain
 * network load balancer in a small VPC, and a CNAME in the zone. The assertion reads the frontend
 * record set back from Route 53 and expects an A alias to the load balancer.
 *
 * Expect about 5 minutes and a few cents (the load balancer and the zone, for the test's duration).
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { EnvironmentDns } from '../src/dns';

const app = new App();
const stack = new Stack(app, 'ScopeDnsInteg');
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 1,
  natGateways: 0,
  subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
});
const frontend = new elbv2.NetworkLoadBalancer(stack, 'Frontend', { vpc, internetFacing: true });
const dns = new EnvironmentDns(stack, 'Dns', {
  zoneName: 'scope-integ.example.com',
  frontend,
  aliases: [{ name: 'www.scope-integ.example.com' }],
  removalPolicy: RemovalPolicy.DESTROY,
});

const integ = new IntegTest(app, 'DnsTest', { testCases: [stack], regions: ['us-east-1'] });

integ.assertions
  .awsApiCall('Route53', 'listResourceRecordSets', {
    HostedZoneId: dns.zone.hostedZoneId,
    StartRecordName: dns.frontendName,
    StartRecordType: 'A',
    MaxItems: 1,
  })
  .expect(ExpectedResult.objectLike({
    ResourceRecordSets: [{
      Name: `${dns.frontendName}.`,
      Type: 'A',
      AliasTarget: {
        HostedZoneId: frontend.loadBalancerCanonicalHostedZoneId,
        // Route 53 returns the load balancer's name lower-cased, with a trailing dot.
        DNSName: Match.stringLikeRegexp('^dualstack\\.[a-z0-9-]+\\.elb\\.[a-z0-9-]+\\.amazonaws\\.com\\.$'),
        EvaluateTargetHealth: true,
      },
    }],
  }));
