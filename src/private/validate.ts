/**
 * Synth-time validation shared by every construct. Each check throws a PropError that names the
 * prop and says what is allowed. Unresolved tokens are skipped: their value is only known at deploy time.
 */
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * A bad prop, found at synth time. The message starts with `Invalid <prop>`, where `<prop>` is
 * the prop's path in the props of the construct that threw (`nodeCount`, `frontend.ports`).
 * A construct that passes options on to a part re-throws it with `within()`, so the user reads
 * the path in the props they wrote (`cluster.nodeCount`) and which construct it was.
 */
export class PropError extends Error {
  /** The prop's path, as named at the start of the message. */
  public readonly prop: string;

  constructor(message: string, private readonly constructPath?: string) {
    super(constructPath ? `${message} (in ${constructPath})` : message);
    const match = /^Invalid ([^\s:]+)/.exec(message);
    if (!match) throw new Error(`PropError messages start with 'Invalid <prop>': ${message}`);
    this.prop = match[1];
    this.name = 'PropError';
  }

  /** This error as seen from `path`'s props: prop prefixed with `prefix.` (if any), path appended once. */
  public within(prefix: string | undefined, path: string): PropError {
    if (this.constructPath !== undefined) return this;
    const message = this.message.replace(/^Invalid /, `Invalid ${prefix ? `${prefix}.` : ''}`);
    return new PropError(message, path);
  }
}

/**
 * Runs `build` (which creates a part from the options under `prefix`) and re-throws a PropError
 * from it with the prop's full path and `scope`'s construct path.
 */
export function withPropPath<T>(scope: IConstruct, prefix: string | undefined, build: () => T): T {
  try {
    return build();
  } catch (e) {
    throw e instanceof PropError ? e.within(prefix, scope.node.path) : e;
  }
}

/** Fails unless `value` matches `pattern`; `allowed` describes the pattern in words. */
export function validatePattern(prop: string, value: string | undefined, pattern: RegExp, allowed: string): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!pattern.test(value)) {
    throw new PropError(`Invalid ${prop} '${value}': ${allowed}.`);
  }
}

/** Fails unless `min <= value <= max` and `value` is a whole number. */
export function validateInteger(prop: string, value: number | undefined, min: number, max?: number): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  const range = max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  if (!Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new PropError(`Invalid ${prop} ${value}: must be ${range}.`);
  }
}

/** The `envName` rule of ScopeEnvironment: lower case, starts with a letter, at most 20 characters. */
export const ENV_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** Fails unless `envName` follows ENV_NAME_PATTERN. */
export function validateEnvName(value: string | undefined, prop = 'envName'): void {
  validatePattern(prop, value, ENV_NAME_PATTERN, 'must start with a lower-case letter and contain only a-z, 0-9 and -, at most 20 characters');
}

/**
 * The environment name a part uses when it is built on its own (no `envName` prop): the stack
 * name, lower-cased, with characters outside [a-z0-9-] turned into `-`, cut to 20 characters.
 */
export function defaultEnvName(stackName: string): string {
  const name = stackName.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '').slice(0, 20);
  return name || 'scope';
}

/** Characters AWS allows in tag keys and values: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Fails unless every tag is one AWS accepts on all resources: key 1 to 128 characters, value at
 * most 256, both of letters, digits, spaces and `_ . : / = + - @`, key not starting with `aws:`.
 */
export function validateTags(prop: string, tags: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (Token.isUnresolved(key) || Token.isUnresolved(value)) continue;
    const problem = key.length < 1 || key.length > 128 ? 'keys are 1 to 128 characters'
      : value.length > 256 ? 'values are at most 256 characters'
        : !TAG_CHARACTERS.test(key) || !TAG_CHARACTERS.test(value) ? 'tags use only letters, digits, spaces and _ . : / = + - @'
          : key.toLowerCase().startsWith('aws:') ? 'keys starting with aws: are reserved for AWS'
            : undefined;
    if (problem) throw new PropError(`Invalid ${prop} '${key}': ${problem}.`);
  }
}

/** Fails unless every entry of `emails` is an email address; `prop` is the prop's path, e.g. `monitoring.alarmEmails`. */
export function validateAlarmEmails(prop: string, emails: string[] | undefined): void {
  (emails ?? []).forEach((email, i) => validatePattern(`${prop}[${i}]`, email, /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    'must be an email address such as ops@example.com'));
  validateDistinctEmails(prop, emails);
}

/**
 * The sizes EC2 (and RDS, after `db.<class>`) sells: the part after the dot of an instance type
 * name ("c7gn.xlarge": size xlarge; https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html),
 * as aws-cdk-lib's InstanceSize enum lists them (nano ... 480xlarge, metal, metal-16xl ...).
 */
const INSTANCE_SIZES = new Set<string>(Object.values(ec2.InstanceSize));

/** Fails unless the size of instance type `name` (the part after the first dot) is one EC2 sells, e.g. not `m7i.huge`. */
export function validateInstanceSize(prop: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  const size = name.slice(name.indexOf('.') + 1);
  if (!INSTANCE_SIZES.has(size)) {
    throw new PropError(`Invalid ${prop} '${name}': '${size}' is no EC2 instance size; sizes are nano, micro, small, medium, `
      + 'large, xlarge, 2xlarge ... 48xlarge and metal (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html), '
      + 'e.g. m7i.large or m7g.xlarge.');
  }
}

/** Fails if an address appears twice in `emails` (one subscription per address). */
export function validateDistinctEmails(prop: string, emails: string[] | undefined): void {
  const seen = new Set<string>();
  (emails ?? []).forEach((email, i) => {
    const key = email.toLowerCase();
    if (!Token.isUnresolved(email) && seen.has(key)) {
      throw new PropError(`Invalid ${prop}[${i}] '${email}': the address is listed twice; each address gets one subscription.`);
    }
    seen.add(key);
  });
}
