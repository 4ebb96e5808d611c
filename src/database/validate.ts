/**
 * Synth-time checks of the UsersDatabase props: each bad value is a PropError naming the prop and
 * what is allowed, before anything is created.
 */
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CREATE_ONLY, DEFAULT_APP_USERNAME, DEFAULT_CREATE_ONLY_SETTINGS } from './defaults';
import { databaseNameProblem, roleNameProblem } from './names';
import { DatabaseCreateOnlySettings, UsersDatabaseProps } from './options';
import { PropError, validateEnvName, validateInteger, validatePattern } from '../private/validate';

/** Enhanced monitoring intervals RDS accepts, in seconds. */
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

/** Throws a PropError for the first prop of `props` that is out of range. */
export function validateDatabaseProps(props: UsersDatabaseProps): void {
  validateEnvName(props.envName);
  validateSizesAndTimes(props);
  validatePlacement(props);
  validateBackupsAndMonitoring(props);
  validateNames(props);
  validateCombinations(props);
}

function validateSizesAndTimes(props: UsersDatabaseProps): void {
  validateInteger('allocatedStorage', props.allocatedStorage, 20, 65536);
  validateInteger('bootstrapSerial', props.bootstrapSerial, 0);
  validateInteger('port', props.port, 1150, 65535);
  if (props.instanceType) {
    validatePattern('instanceType', props.instanceType.toString(), /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
      'must be an instance class and size such as t4g.micro or m7g.large (without the db. prefix, which RDS adds)');
  }
}

function validatePlacement(props: UsersDatabaseProps): void {
  // An empty string would silently create an empty instance instead of restoring.
  validatePattern('snapshotIdentifier', props.snapshotIdentifier, /^(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:snapshot:)?(rds:)?[A-Za-z][A-Za-z0-9-]{0,254}$/,
    'must be a DB snapshot identifier (a letter, then letters, digits and -) or a DB snapshot ARN');
  if (props.vpcSubnets?.subnetType === ec2.SubnetType.PUBLIC) {
    throw new PropError('Invalid vpcSubnets: the database is never placed in public subnets; select private subnets (PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED).');
  }
}

function validateBackupsAndMonitoring(props: UsersDatabaseProps): void {
  if (props.backupRetention !== undefined && !Token.isUnresolved(props.backupRetention.toSeconds())) {
    const seconds = props.backupRetention.toSeconds();
    if (seconds % 86400 !== 0 || seconds / 86400 < 1 || seconds / 86400 > 35) {
      throw new PropError(`Invalid backupRetention ${props.backupRetention.toHumanString()}: must be whole days from 1 to 35.`);
    }
  }
  if (props.databaseInsights && props.performanceInsights === false) {
    throw new PropError('Invalid performanceInsights false: databaseInsights shows the DB load that Performance Insights collects; '
      + 'leave performanceInsights unset (or true), or set databaseInsights to false.');
  }
  if (props.monitoringInterval !== undefined && !MONITORING_INTERVALS.includes(props.monitoringInterval.toSeconds())) {
    throw new PropError(`Invalid monitoringInterval ${props.monitoringInterval.toHumanString()}: must be one of ${MONITORING_INTERVALS.join(', ')} seconds.`);
  }
}

function validateNames(props: UsersDatabaseProps): void {
  for (const [prop, value, problem] of [
    ['databaseName', props.databaseName, databaseNameProblem],
    ['appUsername', props.appUsername, roleNameProblem],
    ['masterUsername', props.masterUsername, roleNameProblem],
  ] as const) {
    const p = value === undefined || Token.isUnresolved(value) ? undefined : problem(value);
    if (p) throw new PropError(`Invalid ${prop} '${value}': ${p}.`);
  }
}

/**
 * createOnlySettings is a known value, the application role is not the master user it implies,
 * and a restore from a snapshot takes no storage key.
 */
function validateCombinations(props: UsersDatabaseProps): void {
  const createOnly = CREATE_ONLY[props.createOnlySettings ?? DEFAULT_CREATE_ONLY_SETTINGS];
  if (!createOnly) {
    throw new PropError(`Invalid createOnlySettings '${props.createOnlySettings}': must be one of ${Object.values(DatabaseCreateOnlySettings).map(v => `'${v}'`).join(', ')} (DatabaseCreateOnlySettings).`);
  }
  if ((props.appUsername ?? DEFAULT_APP_USERNAME) === (props.masterUsername ?? createOnly.masterUsername)) {
    throw new PropError(`Invalid appUsername '${props.appUsername ?? DEFAULT_APP_USERNAME}': must differ from masterUsername.`);
  }
  if (props.snapshotIdentifier !== undefined && props.storageEncryptionKey !== undefined) {
    throw new PropError('Invalid storageEncryptionKey: it cannot be combined with snapshotIdentifier; a restored instance keeps the snapshot\'s encryption (copy the snapshot with the key first).');
  }
}
