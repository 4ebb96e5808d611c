/**
 * The environment key outlives every resource it encrypts: its removal policy is the strongest of
 * its users' (src/encryption/key-removal.ts, resolve.keyUsers), never simply the profile's.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { DatabaseCreateOnlySettings, EnvironmentKey, EnvironmentProfile, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';
import { keyRemovalPolicy } from '../../src/encryption/key-removal';
import * as resolve from '../../src/environment/resolve';
import { PROFILE_DEFAULTS } from '../../src/profile';

const DEV = PROFILE_DEFAULTS[EnvironmentProfile.DEVELOPMENT];
const PROD = PROFILE_DEFAULTS[EnvironmentProfile.PRODUCTION];
const { DESTROY, RETAIN, SNAPSHOT, RETAIN_ON_UPDATE_OR_DELETE: RETAIN_EXCEPT_ON_CREATE } = RemovalPolicy;
const keyPolicy = (props: ScopeEnvironmentProps, d = DEV) => resolve.keyProps(props, d, 'e').removalPolicy;

/** The created key's deletion policy and pending window in the synthesized template. */
function synthesizedKey(props: ScopeEnvironmentProps) {
  const app = new App();
  const stack = new Stack(app, 'scope-key', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ScopeEnvironment(stack, 'key', props);
  const resources = Object.entries<any>(app.synth().getStackByName('scope-key').template.Resources);
  const [[, key]] = resources.filter(([id, r]) => r.Type === 'AWS::KMS::Key' && /EncryptionKey/.test(id));
  return { deletionPolicy: key.DeletionPolicy, updateReplacePolicy: key.UpdateReplacePolicy, pendingWindow: key.Properties.PendingWindowInDays };
}

describe('keyRemovalPolicy: the strongest of the users', () => {
  test.each([
    [[], DESTROY],
    [[DESTROY, DESTROY], DESTROY],
    [[DESTROY, RETAIN_EXCEPT_ON_CREATE], RETAIN_EXCEPT_ON_CREATE],
    [[RETAIN_EXCEPT_ON_CREATE, RETAIN], RETAIN],
    [[DESTROY, SNAPSHOT], RETAIN],
    [[SNAPSHOT, RETAIN_EXCEPT_ON_CREATE], RETAIN],
  ])('%j -> %s', (policies, expected) => {
    expect(keyRemovalPolicy(policies.map((removalPolicy, i) => ({ name: `user${i}`, removalPolicy })))).toBe(expected);
  });
});

describe('the environment key of each combination', () => {
  test('DEVELOPMENT + EnvironmentKey.create() + a retained table (reports.removalPolicy RETAIN): key retained', () => {
    const props = { encryptionKey: EnvironmentKey.create(), reports: { removalPolicy: RETAIN } };
    expect(keyPolicy(props)).toBe(RETAIN);
    expect(synthesizedKey(props)).toEqual({ deletionPolicy: 'Retain', updateReplacePolicy: 'Retain', pendingWindow: 30 });
  });

  test('DEVELOPMENT + a table kept except on create: key kept the same way (goes only with a failed first deploy)', () => {
    expect(keyPolicy({ encryptionKey: EnvironmentKey.create(), reports: { removalPolicy: RETAIN_EXCEPT_ON_CREATE } })).toBe(RETAIN_EXCEPT_ON_CREATE);
  });

  test('a SNAPSHOT database with HARDENED settings (storage under the key): key retained, whatever the rest', () => {
    const database = { createOnlySettings: DatabaseCreateOnlySettings.HARDENED, removalPolicy: SNAPSHOT };
    expect(keyPolicy({ encryptionKey: EnvironmentKey.create(), database })).toBe(RETAIN);
    expect(keyPolicy({ database: { createOnlySettings: DatabaseCreateOnlySettings.HARDENED } }, PROD)).toBe(RETAIN);
  });

  test('a SNAPSHOT database with ORIGINAL settings (storage under aws/rds, secrets deleted): the database does not hold the key', () => {
    const database = { createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL, removalPolicy: SNAPSHOT };
    expect(resolve.keyUsers({ database }, DEV).map(u => u.name)).toEqual(['reports']);
    expect(keyPolicy({ encryptionKey: EnvironmentKey.create(), database })).toBe(DESTROY);
  });

  test('a retained database keeps its secrets (under the key): key retained', () => {
    expect(keyPolicy({ database: { removalPolicy: RETAIN } })).toBe(RETAIN);
  });

  test('DEVELOPMENT, everything DESTROY: the key is destroyed too, after KMS\'s 30-day pending window', () => {
    expect(keyPolicy({ encryptionKey: EnvironmentKey.create() })).toBe(DESTROY);
    expect(synthesizedKey({ encryptionKey: EnvironmentKey.create() })).toEqual({ deletionPolicy: 'Delete', updateReplacePolicy: 'Delete', pendingWindow: 30 });
  });

  test('PRODUCTION: retained (a HARDENED database leaves a snapshot under the key); ORIGINAL: kept like its table, bucket and flow logs', () => {
    expect(keyPolicy({ database: { createOnlySettings: DatabaseCreateOnlySettings.HARDENED } }, PROD)).toBe(RETAIN);
    const original = { database: { createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL } };
    expect(resolve.keyUsers(original, PROD).map(u => `${u.name}:${u.removalPolicy}`)).toEqual(['reports:retain-on-update-or-delete', 'flow logs:retain-on-update-or-delete']);
    expect(keyPolicy(original, PROD)).toBe(RETAIN_EXCEPT_ON_CREATE);
  });

  test('imported table and bucket do not count; a VPC of the user has no flow logs of ours', () => {
    const reports = { removalPolicy: RETAIN, table: {} as any, bucket: {} as any };
    const original = { createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL };
    expect(resolve.keyUsers({ reports, vpc: {} as any, database: original }, PROD).map(u => u.name)).toEqual([]);
  });
});
