/** Bad props of ScopeEnvironment's own props (envName, profile, vpc, tags, monitoring, ...). */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BadPropsCase, env, environment, vpcWith } from './harness';
import { DatabaseCreateOnlySettings, EnvironmentKey, EnvironmentProfile, ScopeEnvironment } from '../../../src';

export const ENVIRONMENT_CASES: BadPropsCase[] = [
  // ---- ScopeEnvironment ----
  ['envName with capitals', 'envName', environment({ envName: 'Prod' })],
  ['envName longer than 20 characters', 'envName', environment({ envName: 'a'.repeat(21) })],
  ['construct id that is no valid envName', 'envName', environment({}, 'Prod_1')],
  ['profile that is not an EnvironmentProfile (JavaScript caller)', 'profile', environment({ profile: 'staging' as EnvironmentProfile })],
  ['vpcFlowLogs with a given vpc', 'vpcFlowLogs', env(s => new ScopeEnvironment(s, 'dev', { vpc: new ec2.Vpc(s, 'Vpc'), vpcFlowLogs: true }))],
  ['alarm email that is no address', 'monitoring.alarmEmails[1]', environment({ monitoring: { alarmEmails: ['ops@example.com', 'ops'] } })],
  ['tag key reserved for AWS', 'tags', environment({ tags: { 'aws:team': 'x' } })],
  ['a HARDENED database without a customer managed key (DEVELOPMENT)', 'database.createOnlySettings',
    environment({ database: { createOnlySettings: DatabaseCreateOnlySettings.HARDENED } })],
  ['encryptionKey that is no EnvironmentKey (JavaScript caller)', 'encryptionKey', environment({ encryptionKey: {} as EnvironmentKey })],
  ['database port out of range', 'database.port', environment({ database: { port: 80 } })],
  ['createOnlySettings that is no DatabaseCreateOnlySettings (JavaScript caller)', 'database.createOnlySettings',
    environment({ database: { createOnlySettings: 'new' as DatabaseCreateOnlySettings } })],
  ['empty tag key', 'tags', environment({ tags: { '': 'x' } })],
  ['tag with characters AWS refuses', 'tags', environment({ tags: { team: 'a;b' } })],
  ['the same envName twice in one stack', 'envName', env(s => {
    new ScopeEnvironment(s, 'first', { envName: 'dev' });
    return new ScopeEnvironment(s, 'dev');
  })],
  ['envNames whose output keys collide in one stack', 'envName', env(s => {
    new ScopeEnvironment(s, 'first', { envName: 'dev-1' });
    return new ScopeEnvironment(s, 'dev', { envName: 'dev1' });
  })],
  // ---- added for issue 26: the user's vpc named `vpc`, empty and malformed values, contradictory options ----
  ['a vpc with public subnets only (named vpc, not cluster.vpc)', 'vpc', env(s => new ScopeEnvironment(s, 'dev', { vpc: vpcWith(s, ec2.SubnetType.PUBLIC) }))],
  ['a vpc with isolated subnets only', 'vpc', env(s => new ScopeEnvironment(s, 'dev', { vpc: vpcWith(s, ec2.SubnetType.PRIVATE_ISOLATED) }))],
  ['an imported vpc without public subnets for the frontend', 'vpc', env(s => new ScopeEnvironment(s, 'dev', {
    vpc: ec2.Vpc.fromVpcAttributes(s, 'Imported', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['subnet-1', 'subnet-2'] }),
  }))],
  ['empty envName', 'envName', environment({ envName: '' })],
  ['envName starting with a digit', 'envName', environment({ envName: '1dev' })],
  ['no availabilityZones', 'availabilityZones', environment({ availabilityZones: [] })],
  ['one availability zone', 'availabilityZones', environment({ availabilityZones: ['eu-west-1a'] })],
  ['the same availability zone twice', 'availabilityZones', environment({ availabilityZones: ['eu-west-1a', 'eu-west-1a'] })],
  ['availability zones of another region', 'availabilityZones', environment({ availabilityZones: ['us-east-1a', 'us-east-1b'] })],
  ['availabilityZones with a given vpc', 'availabilityZones', env(s => new ScopeEnvironment(s, 'dev', { vpc: new ec2.Vpc(s, 'Vpc'), availabilityZones: ['eu-west-1a', 'eu-west-1b'] }))],
  ['tag value longer than 256 characters', 'tags', environment({ tags: { team: 'a'.repeat(257) } })],
  ['tag key longer than 128 characters', 'tags', environment({ tags: { ['k'.repeat(129)]: 'x' } })],
  ['empty alarm email', 'monitoring.alarmEmails[0]', environment({ monitoring: { alarmEmails: [''] } })],
  ['the same alarm email twice', 'monitoring.alarmEmails[1]', environment({ monitoring: { alarmEmails: ['ops@example.com', 'OPS@example.com'] } })],
  ['alarmEmails with monitoring off', 'monitoring.alarmEmails', environment({ monitoring: { enabled: false, alarmEmails: ['ops@example.com'] } })],
  ['containerInsights with monitoring off', 'monitoring.containerInsights', environment({ monitoring: { enabled: false, containerInsights: true } })],
];
