/** Bad props of reports, queues and users. */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { BadPropsCase, environment, queues, store, zone } from './harness';
import { EmailSender, ReportStore, ScopeServiceUsers } from '../../../src';

export const DATA_CASES: BadPropsCase[] = [
  // ---- reports ----
  ['tableName too short', 'reports.tableName', environment({ reports: { tableName: 'ab' } })],
  ['bucketName with capitals', 'reports.bucketName', environment({ reports: { bucketName: 'Dev-Reports' } })],
  ['readCapacity with on-demand billing', 'reports.readCapacity', environment({ reports: { readCapacity: 10 } })],
  ['writeCapacity 0 with provisioned billing', 'reports.writeCapacity', environment({ reports: { billing: dynamodb.BillingMode.PROVISIONED, writeCapacity: 0 } })],
  ['reportExpiration shorter than a day', 'reports.reportExpiration', environment({ reports: { reportExpiration: Duration.hours(6) } })],
  ['an existing table plus a table name', 'table', s => new ReportStore(s, 'Store', { table: dynamodb.Table.fromTableName(s, 'T', 'reports'), tableName: 'other' })],
  ['an existing bucket plus server access logs', 'bucket', s => new ReportStore(s, 'Store', {
    bucket: new ReportStore(s, 'Other').bucket, serverAccessLogsBucket: new ReportStore(s, 'Logs').bucket,
  })],
  // ---- queues ----
  ['queuePrefix with characters SQS refuses', 'queues.queuePrefix', environment({ queues: { queuePrefix: 'dev control.' } })],
  ['queuePrefix too long for queue names', 'queues.queuePrefix', environment({ queues: { queuePrefix: 'a'.repeat(71) } })],
  ['queue name with characters SQS refuses', 'queues.queues[0]', environment({ queues: { queues: ['events!'] } })],
  ['the same queue twice', 'queues.queues[1]', environment({ queues: { queues: ['events', 'events'] } })],
  ['a queue named like another queue\'s dead-letter queue', 'queues.queues[1]', environment({ queues: { queues: ['events', 'events_dlq'] } })],
  ['queue name too long with its _dlq suffix', 'queues.queues[0]', environment({ queues: { queues: ['q'.repeat(70)] } })],
  ['maxReceiveCount 0', 'queues.maxReceiveCount', environment({ queues: { queues: ['events'], maxReceiveCount: 0 } })],
  // ---- users ----
  ['negative keySerial', 'users.keySerial', environment({ users: { keySerial: -1 } })],
  ['user name IAM refuses', 'users.userNames.writer', environment({ users: { userNames: { writer: 'report writer' } } })],
  ['two users with one name', 'users.userNames.queue', environment({ users: { userNames: { reader: 'scope', queue: 'SCOPE' } } })],
  ['a user name equal to another user\'s default name', 'users.userNames.writer', environment({ users: { userNames: { writer: 'dev_report_reader' } } })],
  ['Pod Identity namespace that is no Kubernetes name', 'users.namespace', environment({ users: { podIdentity: true, namespace: 'Scope' } })],
  ['podIdentity without a cluster', 'podIdentity', s => new ScopeServiceUsers(s, 'Users', { reports: store(s), queues: queues(s), podIdentity: true })],
  ['EmailSender with a MAIL FROM domain outside the zone', 'mailFromDomain', s => new EmailSender(s, 'Mail', { zone: zone(s), mailFromDomain: 'mail.example.org' })],
  ['EmailSender user name IAM refuses', 'userName', s => new EmailSender(s, 'Mail', { zone: zone(s), userName: 'email sender' })],
  // ---- added for issue 26: lengths, characters, NaN and fractions ----
  ['tableName longer than 255 characters', 'reports.tableName', environment({ reports: { tableName: 'a'.repeat(256) } })],
  ['tableName with spaces', 'reports.tableName', environment({ reports: { tableName: 'a b c' } })],
  ['bucketName too short', 'reports.bucketName', environment({ reports: { bucketName: 'ab' } })],
  ['bucketName with two dots in a row', 'reports.bucketName', environment({ reports: { bucketName: 'abc..def' } })],
  ['bucketName like an IP address', 'reports.bucketName', environment({ reports: { bucketName: '192.168.1.1' } })],
  ['readCapacity 0 with provisioned billing', 'reports.readCapacity', environment({ reports: { billing: dynamodb.BillingMode.PROVISIONED, readCapacity: 0 } })],
  ['readCapacity not whole', 'reports.readCapacity', environment({ reports: { billing: dynamodb.BillingMode.PROVISIONED, readCapacity: 1.5 } })],
  ['reportExpiration 0 days', 'reports.reportExpiration', environment({ reports: { reportExpiration: Duration.days(0) } })],
  ['noncurrentVersionExpiration in hours', 'reports.noncurrentVersionExpiration', environment({ reports: { noncurrentVersionExpiration: Duration.hours(1) } })],
  ['empty queuePrefix', 'queues.queuePrefix', environment({ queues: { queuePrefix: '' } })],
  ['maxReceiveCount above 1000', 'queues.maxReceiveCount', environment({ queues: { queues: ['events'], maxReceiveCount: 1001 } })],
  ['maxReceiveCount NaN', 'queues.maxReceiveCount', environment({ queues: { queues: ['events'], maxReceiveCount: NaN } })],
  ['empty queue name', 'queues.queues[0]', environment({ queues: { queues: [''] } })],
  ['keySerial not whole', 'users.keySerial', environment({ users: { keySerial: 1.5 } })],
  ['keySerial NaN', 'users.keySerial', environment({ users: { keySerial: NaN } })],
  ['empty user name', 'users.userNames.reader', environment({ users: { userNames: { reader: '' } } })],
  ['user name longer than 64 characters', 'users.userNames.reader', environment({ users: { userNames: { reader: 'a'.repeat(65) } } })],
  ['empty Pod Identity namespace', 'users.namespace', environment({ users: { podIdentity: true, namespace: '' } })],
];
