/**
 * The bootstrap's custom resource events: Create/Update run the bootstrap and write the
 * application secret; Delete does nothing, the database and the role outlive the custom resource.
 * `onEvent` takes its secret store and log group client as parameters, so the tests pass fakes.
 */
import { verifiedTls } from './connect';
import { LogGroupSettings } from './log-groups';
import { connectionUrl, SecretStore, secretField } from './secrets';
import { bootstrap } from './sql';

/** The part of a CloudFormation custom resource event the handler reads. */
export interface BootstrapEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** `Custom::UsersDatabaseDeletionProtection` for the deletion protection step; anything else is a bootstrap. */
  readonly ResourceType?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
}

/** Provider framework response. */
export interface BootstrapResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Options for `onEvent` that the Lambda entry point fixes and the tests vary. */
export interface OnEventOptions {
  /** Verify the server with this CA bundle (see verifiedTls), or false for plain TCP (local tests only). */
  readonly ssl: false | { readonly caFile: string };
  readonly connectionTimeoutMillis?: number;
}

/** Handles one bootstrap event; see the file comment. */
export async function onEvent(event: BootstrapEvent, store: SecretStore, options: OnEventOptions,
  logGroups?: LogGroupSettings): Promise<BootstrapResponse> {
  const props = event.ResourceProperties;
  const host = requiredString(props, 'Host');
  const port = Number(requiredString(props, 'Port'));
  const databaseName = requiredString(props, 'DatabaseName');
  const physicalResourceId = `${host}:${port}/${databaseName}`;

  if (event.RequestType === 'Delete') {
    // The database and the role are data: a stack deletion or a rename must never drop them.
    return { PhysicalResourceId: event.PhysicalResourceId ?? physicalResourceId };
  }

  const appUsername = requiredString(props, 'AppUsername');
  const appSecretArn = requiredString(props, 'AppSecretArn');
  const master = await store.getJson(requiredString(props, 'MasterSecretArn'));
  const app = await store.getJson(appSecretArn);
  const masterUsername = secretField(master, 'username', 'master');
  const masterPassword = secretField(master, 'password', 'master');
  const appPassword = secretField(app, 'password', 'application');

  await bootstrap({
    host,
    port,
    masterUsername,
    masterPassword,
    databaseName,
    appUsername,
    appPassword,
    ssl: options.ssl ? verifiedTls(host, options.ssl.caFile) : false,
    connectionTimeoutMillis: options.connectionTimeoutMillis,
  });

  const clientCaBundle = requiredString(props, 'ClientCaBundle');
  await writeAppSecret(store, appSecretArn, app, { appUsername, appPassword, host, port, databaseName, clientCaBundle });
  await ensureExportLogGroup(props, logGroups);
  return { PhysicalResourceId: physicalResourceId, Data: { DatabaseName: databaseName, Username: appUsername } };
}

/** What the application secret says about the database. */
interface AppConnection {
  readonly appUsername: string;
  readonly appPassword: string;
  readonly host: string;
  readonly port: number;
  readonly databaseName: string;
  /** Where clients keep the RDS CA bundle (`urlVerifyFull`). */
  readonly clientCaBundle: string;
}

/** Writes the connection and its URLs into the application secret, keeping its other fields. */
async function writeAppSecret(store: SecretStore, appSecretArn: string, app: Record<string, unknown>, c: AppConnection): Promise<void> {
  const wanted: Record<string, unknown> = {
    ...app,
    engine: 'postgres',
    username: c.appUsername,
    password: c.appPassword,
    host: c.host,
    port: c.port,
    dbname: c.databaseName,
    url: connectionUrl(c.appUsername, c.appPassword, c.host, c.port, c.databaseName),
    urlVerifyFull: connectionUrl(c.appUsername, c.appPassword, c.host, c.port, c.databaseName, c.clientCaBundle),
  };
  // Only write when something changed: a re-run leaves the secret's versions alone.
  if (Object.keys(wanted).some((k) => app[k] !== wanted[k])) {
    await store.putJson(appSecretArn, wanted);
  }
}

/** The log group RDS exports PostgreSQL logs to (when LogGroupName is set): RDS would create it without retention. */
async function ensureExportLogGroup(props: Record<string, unknown>, logGroups: LogGroupSettings | undefined): Promise<void> {
  if (props.LogGroupName === undefined) return;
  if (!logGroups) throw new Error('LogGroupName is set but no log group client was given.');
  const logGroupName = requiredString(props, 'LogGroupName');
  const days = Number(requiredString(props, 'LogRetentionDays'));
  const kmsKeyArn = props.LogKmsKeyArn === undefined ? undefined : requiredString(props, 'LogKmsKeyArn');
  await logGroups.ensure(logGroupName, days, kmsKeyArn);
}

/** A resource property as a non-empty string. */
export function requiredString(props: Record<string, unknown>, name: string): string {
  const value = props[name];
  if (value === undefined || value === null || String(value) === '') {
    throw new Error(`Missing custom resource property ${name}.`);
  }
  return String(value);
}
