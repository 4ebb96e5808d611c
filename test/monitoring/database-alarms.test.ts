import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EnvironmentMonitoring, UsersDatabase, UsersDatabaseProps } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function watch(props: Partial<UsersDatabaseProps>) {
  const stack = new Stack(new App(), 'Db', { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const database = new UsersDatabase(stack, 'Db', { vpc, envName: 'lab', ...props });
  new EnvironmentMonitoring(stack, 'Monitoring', { envName: 'lab', database });
  const names = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties.AlarmName);
  return { stack, names };
}

describe('database alarms sized from the UsersDatabase', () => {
  test('a class of unknown memory: no FreeableMemory and Connections alarms, a warning naming the class; the rest stay', () => {
    const { stack, names } = watch({ instanceType: new ec2.InstanceType('c6g.large') });
    expect(names).not.toContain('lab-scope-database-freeable-memory');
    expect(names).not.toContain('lab-scope-database-connections');
    expect(names).toEqual(expect.arrayContaining(['lab-scope-database-cpu', 'lab-scope-database-free-storage', 'lab-scope-database-bootstrap-errors']));
    Annotations.fromStack(stack).hasWarning('/Db/Monitoring', Match.stringLikeRegexp('instance class "db.c6g.large" has no known memory size'));
  });

  test('allocatedStorage known only at deploy time: no FreeStorage alarm, a warning', () => {
    const stack = new Stack(new App(), 'Db', { env: ENV });
    const storage = new CfnParameter(stack, 'Storage', { type: 'Number' }).valueAsNumber;
    const database = new UsersDatabase(stack, 'Db', { vpc: new ec2.Vpc(stack, 'Vpc'), envName: 'lab', allocatedStorage: storage });
    new EnvironmentMonitoring(stack, 'Monitoring', { envName: 'lab', database });
    const names = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties.AlarmName);
    expect(names).not.toContain('lab-scope-database-free-storage');
    expect(names).toContain('lab-scope-database-freeable-memory');
    Annotations.fromStack(stack).hasWarning('/Db/Monitoring', Match.stringLikeRegexp('allocatedStorage is not a number known at synth time'));
  });

  test('a known class and storage: memory, connections and storage thresholds from them (db.t4g.micro, 20 GiB, DEVELOPMENT)', () => {
    const stack = new Stack(new App(), 'Db', { env: ENV });
    const database = new UsersDatabase(stack, 'Db', { vpc: new ec2.Vpc(stack, 'Vpc'), envName: 'lab' });
    new EnvironmentMonitoring(stack, 'Monitoring', { envName: 'lab', database });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'lab-scope-database-free-storage', Threshold: Math.round(20 * 2 ** 30 * 0.1) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'lab-scope-database-freeable-memory', Threshold: Math.round(2 ** 30 * 0.1) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'lab-scope-database-connections', Threshold: Math.floor(84 * 0.8) });
  });
});
