/**
 * Helpers of the bad-props suite (test/safety/bad-props.test.ts): a case is [what is wrong, the prop
 * path the message must name as the user wrote it, how to build it].
 */
import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ControlQueues, ReportStore, ScopeEnvironment, ScopeEnvironmentProps } from '../../../src';

/** [what is wrong, the prop the message must name, how to build it]. */
export type BadPropsCase = [string, string, (s: Stack) => unknown];

export const ENV = { account: '111111111111', region: 'eu-west-1' };
export const newStack = () => new Stack(new App(), 'BadProps', { env: ENV });

/** Cases built through ScopeEnvironment: their message names the prop's path in ScopeEnvironmentProps and the environment's construct path. */
export const viaEnvironment = new WeakSet<(s: Stack) => unknown>();
export const env = (build: (s: Stack) => unknown) => {
  viaEnvironment.add(build);
  return build;
};
export const environment = (props: ScopeEnvironmentProps, id = 'dev') => env(s => new ScopeEnvironment(s, id, props));
export const zone = (s: Stack) => new route53.PublicHostedZone(s, 'Zone', { zoneName: 'dev.example.com' });
export const vpcWith = (s: Stack, ...types: ec2.SubnetType[]) =>
  new ec2.Vpc(s, 'OwnVpc', { natGateways: types.includes(ec2.SubnetType.PRIVATE_WITH_EGRESS) ? 1 : 0, subnetConfiguration: types.map(t => ({ name: t, subnetType: t })) });
export const store = (s: Stack) => new ReportStore(s, 'Store');
export const queues = (s: Stack) => new ControlQueues(s, 'Queues');
export const certificate = (s: Stack) => acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/abc');
export const instanceType = (name: string) => new ec2.InstanceType(name);
