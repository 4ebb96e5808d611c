/**
 * The example's two environments, as a consuming repo would write them. example/app.ts
 * synthesizes them; the safety tests (test/safety/) check exactly these.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DatabaseCreateOnlySettings, EnvironmentProfile, ScopeEnvironmentProps } from '../src';

/** dev and prod live in different accounts. */
export const DEV_ENV = { account: '111111111111', region: 'eu-west-1' };
export const PROD_ENV = { account: '222222222222', region: 'eu-west-1' };

/** dev: cheap, removed completely by `cdk destroy`. Its zone is delegated by hand (name servers output). */
export const DEV_PROPS: ScopeEnvironmentProps = {
  profile: EnvironmentProfile.DEVELOPMENT,
  // who may use kubectl (the README quick start imports the same role with iam.Role.fromRoleName)
  cluster: { helloWorld: true, adminPrincipalArns: ['arn:aws:iam::111111111111:role/ops-admin'] },
  domain: { zoneName: 'dev.scope.example.com' },
};

/**
 * prod: keeps its data (snapshots, retained table, bucket and zone), 3 AZs, Pod Identity for the services.
 * A new environment, so its database takes the HARDENED create-only settings (keep ORIGINAL, the default,
 * for a database created by an earlier release: README "Existing databases").
 */
export const PROD_PROPS: ScopeEnvironmentProps = {
  profile: EnvironmentProfile.PRODUCTION,
  database: { createOnlySettings: DatabaseCreateOnlySettings.HARDENED },
  cluster: { nodeCount: 5, instanceType: new ec2.InstanceType('m7i.large'), adminPrincipalArns: ['arn:aws:iam::222222222222:role/ops-admin'] },
  reports: { tableName: 'prod_reports' },
  users: { podIdentity: true },
  // certificate: HTTPS on the frontend (https://frontend.prod.scope.example.com/), port 80 kept.
  domain: { zoneName: 'prod.scope.example.com', aliases: [{ name: 'scope.prod.scope.example.com' }], certificate: true },
  tags: { 'cost-center': 'scope' },
};
