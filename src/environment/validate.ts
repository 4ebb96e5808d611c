/**
 * Cross-part checks of ScopeEnvironmentProps: rules that involve two parts' props, run before any
 * part is created (`Check*Props` first). A part's own props are checked by the part; the network's
 * (availabilityZones / vpcFlowLogs with vpc) by network/vpc.ts, the key choice by encryption/build-key.ts.
 */
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { outputKey } from './outputs';
import { ScopeEnvironmentProps } from './props';
import { DNS_CERTIFICATE_PORTS, isHardenedDatabase, keyProps, usesDnsCertificate } from './resolve';
import { DatabaseCreateOnlySettings } from '../database/options';
import { checkEnvironmentKey, hasEnvironmentKey } from '../encryption/build-key';
import { TLS_PORT } from '../private/ports';
import { PropError } from '../private/validate';
import { ProfileDefaults } from '../profile';

/** Every cross-part check, in the order the parts are built. */
export function checkEnvironmentProps(props: ScopeEnvironmentProps, d: ProfileDefaults, envName: string): void {
  checkEnvironmentKey(props.encryptionKey);
  checkDnsCertificate(props);
  checkHardenedDatabaseKey(props, d, envName);
  checkHelloWorldOrGitOps(props);
}

/** `domain.certificate` gives the frontend its certificate and a TLS listener: not together with its own certificate or without 443. */
export function checkDnsCertificate(props: ScopeEnvironmentProps): void {
  if (!usesDnsCertificate(props)) return;
  const frontend = props.cluster?.frontend ?? {};
  if (frontend.certificate) {
    throw new PropError('Invalid cluster.frontend.certificate: domain.certificate already gives the frontend its certificate; '
      + 'set only one of them.');
  }
  const ports = frontend.ports ?? DNS_CERTIFICATE_PORTS;
  if (!ports.includes(TLS_PORT)) {
    throw new PropError(`Invalid cluster.frontend.ports [${ports.join(', ')}]: domain.certificate serves HTTPS on port ${TLS_PORT}; `
      + `include ${TLS_PORT} (e.g. [${TLS_PORT}] for HTTPS only or [80, ${TLS_PORT}]) or turn domain.certificate off.`);
  }
}

/**
 * A database that asks for HARDENED explicitly encrypts its storage with the environment key:
 * refused without one rather than falling back to aws/rds, since turning the key off later would
 * otherwise replace the database. The default HARDENED takes aws/rds without an environment key
 * (DEVELOPMENT's default `EnvironmentKey.awsManaged()`).
 */
export function checkHardenedDatabaseKey(props: ScopeEnvironmentProps, d: ProfileDefaults, envName: string): void {
  const explicit = props.database?.createOnlySettings === DatabaseCreateOnlySettings.HARDENED;
  if (explicit && isHardenedDatabase(props) && !hasEnvironmentKey(keyProps(props, d, envName)) && !props.database?.storageEncryptionKey) {
    throw new PropError('Invalid database.createOnlySettings: HARDENED encrypts the database storage with the environment key, but encryptionKey is '
      + 'EnvironmentKey.awsManaged() (the DEVELOPMENT default). Use EnvironmentKey.create() or fromKey(), or give database.storageEncryptionKey.');
  }
}

/**
 * helloWorld and gitOps would both own the `frontend` Service. A standalone GitOps checks the same
 * on its `cluster` prop (src/gitops), in the words of its own props.
 */
export function checkHelloWorldOrGitOps(props: ScopeEnvironmentProps): void {
  if (props.gitOps && props.cluster?.helloWorld) {
    throw new PropError('Invalid gitOps: cluster.helloWorld is on, and helloWorld and gitOps cannot both be on: both would own the Service '
      + 'that the frontend load balancer serves. Turn cluster.helloWorld off; the application from git provides that Service.');
  }
}

/** The environments built so far in each app (keyed by the construct tree's root). */
const ENVIRONMENTS = new WeakMap<IConstruct, Array<{ readonly env: IConstruct; readonly envName: string }>>();

/**
 * Fails if `envName` is taken by another ScopeEnvironment of the same app in the same stack, or
 * in a stack of the same account (IAM user names, the queue prefix and the other names derived
 * from envName are per account), or if both would get the same output keys in one stack. Stacks
 * whose account is only known at deploy time may reuse a name across stacks.
 */
export function claimEnvName(env: IConstruct, envName: string): void {
  const root = env.node.root;
  const environments = ENVIRONMENTS.get(root) ?? [];
  ENVIRONMENTS.set(root, environments);
  const stack = Stack.of(env);
  for (const other of environments) {
    const otherStack = Stack.of(other.env);
    const sameStack = otherStack === stack;
    const sameAccount = !Token.isUnresolved(stack.account) && otherStack.account === stack.account;
    if (other.envName === envName && (sameStack || sameAccount)) {
      throw new PropError(`Invalid envName '${envName}': ScopeEnvironment ${other.env.node.path} already uses it `
        + `${sameStack ? `in stack ${stack.stackName}` : `in account ${stack.account}`}; IAM user names, the queue prefix `
        + 'and the other names derived from envName would collide. Give one of them another envName.');
    }
    if (sameStack && outputKey(other.envName, '') === outputKey(envName, '')) {
      throw new PropError(`Invalid envName '${envName}': its output keys (${outputKey(envName, 'FrontendUrl')}, ...) `
        + `are those of ScopeEnvironment ${other.env.node.path} ('${other.envName}') in the same stack; give one of them another envName.`);
    }
  }
  environments.push({ env, envName });
}
