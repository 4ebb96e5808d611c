/** Building the environment key (not exported from the package: ScopeEnvironment calls it). */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EnvironmentKey } from './environment-key';
import { allowCloudWatchLogs, createEnvironmentKey, denyGrantsExceptForAwsServices } from '../private/kms';
import { PropError } from '../private/validate';

/** What buildEnvironmentKey needs (ScopeEnvironment's `keyProps`). */
export interface EnvironmentKeyProps {
  /** The `encryptionKey` prop as given. */
  readonly choice?: EnvironmentKey;
  /** Create a key when `choice` is not given (the profile's `customerManagedKey`). */
  readonly createByDefault: boolean;
  /** Environment name, in the key's description. */
  readonly envName: string;
  /** Removal policy of a created key: the strongest of its users' (keyRemovalPolicy). */
  readonly removalPolicy: RemovalPolicy;
}

/** Fails unless `choice` is an EnvironmentKey (or not given). */
export function checkEnvironmentKey(choice: EnvironmentKey | undefined): void {
  if (choice !== undefined && !(choice instanceof EnvironmentKey)) {
    throw new PropError('Invalid encryptionKey: must be EnvironmentKey.create(), EnvironmentKey.fromKey(key) or EnvironmentKey.awsManaged().');
  }
}

/** True when the environment will have a customer managed key (created or given). */
export function hasEnvironmentKey(props: EnvironmentKeyProps): boolean {
  return props.choice?.key !== undefined || willCreateKey(props);
}

function willCreateKey(props: EnvironmentKeyProps): boolean {
  return props.choice?.createsKey ?? (props.choice === undefined && props.createByDefault);
}

/**
 * The environment key, construct id `EncryptionKey` in `scope` when created: created, given (with
 * the statements the library needs added to it), or none (undefined: AWS owned and managed keys).
 */
export function buildEnvironmentKey(scope: Construct, props: EnvironmentKeyProps): kms.IKey | undefined {
  checkEnvironmentKey(props.choice);
  const given = props.choice?.key;
  if (given) {
    allowCloudWatchLogs(given);
    denyGrantsExceptForAwsServices(given);
    return given;
  }
  if (willCreateKey(props)) {
    return createEnvironmentKey(scope, 'EncryptionKey', props.envName, props.removalPolicy);
  }
  return undefined;
}
