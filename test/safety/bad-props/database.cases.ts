/** Bad props of database (UsersDatabaseOptions), through ScopeEnvironment and UsersDatabase alone. */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { BadPropsCase, env, environment, instanceType, vpcWith } from './harness';
import { ScopeEnvironment, UsersDatabase } from '../../../src';

export const DATABASE_CASES: BadPropsCase[] = [
  // ---- database ----
  ['allocatedStorage below 20 GiB', 'database.allocatedStorage', environment({ database: { allocatedStorage: 10 } })],
  ['backupRetention in hours', 'database.backupRetention', environment({ database: { backupRetention: Duration.hours(12) } })],
  ['backupRetention above 35 days', 'database.backupRetention', environment({ database: { backupRetention: Duration.days(36) } })],
  ['monitoringInterval RDS does not offer', 'database.monitoringInterval', environment({ database: { monitoringInterval: Duration.seconds(7) } })],
  ['databaseName of a system database', 'database.databaseName', environment({ database: { databaseName: 'postgres' } })],
  ['appUsername with a reserved prefix', 'database.appUsername', environment({ database: { appUsername: 'pg_scope' } })],
  ['masterUsername that is not an identifier', 'database.masterUsername', environment({ database: { masterUsername: 'Admin-User' } })],
  ['appUsername equal to masterUsername', 'database.appUsername', environment({ database: { appUsername: 'admin', masterUsername: 'admin' } })],
  ['database instanceType with the db. prefix', 'database.instanceType', environment({ database: { instanceType: new ec2.InstanceType('db.t4g.micro') } })],
  ['empty snapshotIdentifier (would silently create an empty database)', 'database.snapshotIdentifier', environment({ database: { snapshotIdentifier: '' } })],
  ['storageEncryptionKey with snapshotIdentifier', 'database.storageEncryptionKey', env(s => new ScopeEnvironment(s, 'dev', {
    database: { snapshotIdentifier: 'users-final', storageEncryptionKey: new kms.Key(s, 'Key') },
  }))],
  ['UsersDatabase in public subnets', 'vpcSubnets', s => new UsersDatabase(s, 'Db', { vpc: new ec2.Vpc(s, 'Vpc'), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })],
  ['UsersDatabase in a VPC with public subnets only', 'vpc', s => new UsersDatabase(s, 'Db', { vpc: vpcWith(s, ec2.SubnetType.PUBLIC) })],
  // ---- added for issue 26: engine versions RDS no longer runs, sizes, NaN and empty values ----
  ['PostgreSQL 10 (RDS no longer creates it)', 'database.engineVersion', environment({ database: { engineVersion: rds.PostgresEngineVersion.VER_10 } })],
  ['allocatedStorage above 64 TiB', 'database.allocatedStorage', environment({ database: { allocatedStorage: 65537 } })],
  ['allocatedStorage NaN', 'database.allocatedStorage', environment({ database: { allocatedStorage: NaN } })],
  ['allocatedStorage not whole', 'database.allocatedStorage', environment({ database: { allocatedStorage: 20.5 } })],
  ['database port above 65535', 'database.port', environment({ database: { port: 65536 } })],
  ['database port NaN', 'database.port', environment({ database: { port: NaN } })],
  ['negative bootstrapSerial', 'database.bootstrapSerial', environment({ database: { bootstrapSerial: -1 } })],
  ['backupRetention 0 days', 'database.backupRetention', environment({ database: { backupRetention: Duration.days(0) } })],
  ['monitoringInterval in minutes', 'database.monitoringInterval', environment({ database: { monitoringInterval: Duration.minutes(2) } })],
  ['empty databaseName', 'database.databaseName', environment({ database: { databaseName: '' } })],
  ['databaseName template0', 'database.databaseName', environment({ database: { databaseName: 'template0' } })],
  ['databaseName starting with a digit', 'database.databaseName', environment({ database: { databaseName: '1users' } })],
  ['empty appUsername', 'database.appUsername', environment({ database: { appUsername: '' } })],
  ['masterUsername reserved by RDS', 'database.masterUsername', environment({ database: { masterUsername: 'rdsadmin' } })],
  ['masterUsername longer than 63 characters', 'database.masterUsername', environment({ database: { masterUsername: 'a'.repeat(64) } })],
  ['snapshotIdentifier starting with a digit', 'database.snapshotIdentifier', environment({ database: { snapshotIdentifier: '1abc' } })],
  ['performanceInsights off with databaseInsights on', 'database.performanceInsights', environment({ database: { databaseInsights: true, performanceInsights: false } })],
  ['database instanceType without a size', 'database.instanceType', environment({ database: { instanceType: instanceType('m7g') } })],
  ['database instanceType of a size RDS does not sell', 'database.instanceType', environment({ database: { instanceType: instanceType('m7g.huge') } })],
  ['UsersDatabase on PostgreSQL 10', 'engineVersion', s => new UsersDatabase(s, 'Db', { vpc: new ec2.Vpc(s, 'Vpc'), engineVersion: rds.PostgresEngineVersion.VER_10 })],
  ['UsersDatabase instanceType of a size RDS does not sell', 'instanceType', s => new UsersDatabase(s, 'Db', { vpc: new ec2.Vpc(s, 'Vpc'), instanceType: instanceType('t4g.huge') })],
  ['UsersDatabase envName with capitals', 'envName', s => new UsersDatabase(s, 'Db', { vpc: new ec2.Vpc(s, 'Vpc'), envName: 'Dev' })],
];
