/**
 * Bootstrap of the users database, run by a CloudFormation custom resource (Provider framework,
 * onEvent only) inside the VPC.
 *
 * Create/Update: creates the application role (or resets its password to the one in its secret)
 * and the application database owned by it (or keeps the existing one untouched), then writes a
 * ready `postgres://` URL into the application secret. Delete: nothing; the database and the
 * role outlive the custom resource, on purpose.
 *
 * The SQL lives in `bootstrap()`, a pure function of its connection parameters, so the tests run
 * it against a real PostgreSQL server; `onEvent()` takes its secret store as a parameter for the
 * same reason. Nothing here logs or returns a secret value.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';
import { databaseNameProblem, roleNameProblem } from './names';

/** Connection and naming parameters of one bootstrap run. */
export interface BootstrapParams {
  readonly host: string;
  readonly port: number;
  /** Master (admin) user: needs CREATEDB and CREATEROLE, as the RDS master user has. */
  readonly masterUsername: string;
  readonly masterPassword: string;
  /** Database to create (or keep). */
  readonly databaseName: string;
  /** Login role that owns the database. */
  readonly appUsername: string;
  readonly appPassword: string;
  /** TLS options for the connection, or false for plain TCP (local tests only). */
  readonly ssl: false | ConnectionOptions;
  /** Database the master user connects to. @default 'postgres' */
  readonly maintenanceDatabase?: string;
  /** @default 10000 */
  readonly connectionTimeoutMillis?: number;
  /** Server-side statement timeout. @default 30000 */
  readonly statementTimeoutMillis?: number;
}

/** What a bootstrap run did. */
export interface BootstrapResult {
  readonly roleCreated: boolean;
  readonly databaseCreated: boolean;
}

/**
 * Creates the role and the database if they are missing; sets the role's password to
 * `appPassword` either way. Never drops, renames or alters an existing database.
 */
export async function bootstrap(params: BootstrapParams): Promise<BootstrapResult> {
  checkName('databaseName', params.databaseName, databaseNameProblem);
  checkName('appUsername', params.appUsername, roleNameProblem);
  if (params.appUsername === params.masterUsername) {
    throw new Error(`Invalid appUsername '${params.appUsername}': must differ from the master user name.`);
  }
  const passwordVerifier = scramSha256Verifier(params.appPassword);

  const statementTimeout = params.statementTimeoutMillis ?? 30_000;
  const client = new Client({
    host: params.host,
    port: params.port,
    user: params.masterUsername,
    password: params.masterPassword,
    database: params.maintenanceDatabase ?? 'postgres',
    ssl: params.ssl,
    connectionTimeoutMillis: params.connectionTimeoutMillis ?? 10_000,
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout + 5_000,
    application_name: 'users-database-bootstrap',
  });
  // A dropped connection surfaces as an error on the pending query; don't let it crash the process.
  client.on('error', () => undefined);

  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    const hint = isTlsVerificationError(e)
      ? ' (the server certificate failed verification against the CA bundle and host name; nothing was sent to the server)'
      : '';
    throw new Error(`Cannot connect to PostgreSQL at ${params.host}:${params.port} as ${params.masterUsername}: ${messageOf(e)}${hint}`);
  }

  let step = 'look up the role';
  try {
    const role = escapeIdentifier(params.appUsername);
    const roleExists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [params.appUsername])).rowCount === 1;
    // The password goes over the wire as a SCRAM verifier, never in clear text, so it cannot end
    // up in server logs (log_statement, pgaudit) even if those log DDL.
    if (roleExists) {
      step = 'set the role password';
      await client.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${escapeLiteral(passwordVerifier)}`);
    } else {
      step = 'create the role';
      await client.query(`CREATE ROLE ${role} WITH LOGIN PASSWORD ${escapeLiteral(passwordVerifier)}`);
    }

    step = 'look up the database';
    const dbExists = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [params.databaseName])).rowCount === 1;
    if (!dbExists) {
      const db = escapeIdentifier(params.databaseName);
      // A non-superuser (the RDS master) may only create a database owned by a role it can SET ROLE to.
      step = 'grant the role to the master user';
      await client.query(`GRANT ${role} TO CURRENT_USER`);
      step = 'create the database';
      await client.query(`CREATE DATABASE ${db} WITH OWNER ${role} TEMPLATE template0 ENCODING 'UTF8'`);
      step = 'make the database private';
      await client.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    }
    return { roleCreated: !roleExists, databaseCreated: !dbExists };
  } catch (e) {
    throw new Error(`Bootstrap of database '${params.databaseName}' failed (${step}): ${messageOf(e)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The URLs services read from the application secret; user, password, database and CA path are URL-encoded.
 * - `url` (sslmode=require): Go's lib/pq (the Scope users service) encrypts and does not verify.
 *   node-postgres 8 treats `require` as verify-full against Node's default CAs, which lack the RDS roots:
 *   node clients use `urlVerifyFull` (or libpq's `uselibpqcompat=true`).
 * - `urlVerifyFull` (sslmode=verify-full, sslrootcert=`caBundle`): libpq, lib/pq, pgx and node-postgres
 *   verify the certificate chain against the RDS CA bundle at `caBundle` in the client and the host name.
 */
export function connectionUrl(username: string, password: string, host: string, port: number, databaseName: string,
  verifyFullCaBundle?: string): string {
  const enc = encodeURIComponent;
  const query = verifyFullCaBundle === undefined ? 'sslmode=require' : `sslmode=verify-full&sslrootcert=${enc(verifyFullCaBundle)}`;
  return `postgres://${enc(username)}:${enc(password)}@${host}:${port}/${enc(databaseName)}?${query}`;
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802 / RFC 7677), in the
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` form that CREATE/ALTER ROLE accept.
 * Only printable ASCII passwords are accepted: for those SASLprep is the identity, so the
 * verifier matches what the server would compute itself.
 */
export function scramSha256Verifier(password: string, iterations = 4096, salt: Buffer = randomBytes(16)): string {
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw new Error('The application password must be non-empty printable ASCII.');
  }
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

// ---- custom resource entry point ----------------------------------------------------------------

/** Reads and writes JSON secrets (Secrets Manager in Lambda, a map in tests). */
export interface SecretStore {
  getJson(secretId: string): Promise<Record<string, unknown>>;
  putJson(secretId: string, value: Record<string, unknown>): Promise<void>;
}

/** Creates or adopts a log group and sets its retention and KMS key (CloudWatch Logs in Lambda, a fake in tests). */
export interface LogGroupSettings {
  ensure(logGroupName: string, retentionInDays: number, kmsKeyArn?: string): Promise<void>;
}

/** The part of a CloudFormation custom resource event the handler reads. */
export interface BootstrapEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
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

/**
 * The Amazon CA bundle of the Lambda Node.js runtimes (20 and later), RDS root certificates
 * included: "CA certificate loading" in the AWS Lambda Node.js documentation
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-certificate-loading).
 * The runtime no longer loads it by default (cold-start time), so the bootstrap reads it itself.
 */
export const LAMBDA_CA_BUNDLE = '/var/runtime/ca-cert.pem';

/** The CA bundle the handler verifies the database certificate with: $DATABASE_CA_BUNDLE, else LAMBDA_CA_BUNDLE. */
export function caBundlePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_CA_BUNDLE || LAMBDA_CA_BUNDLE;
}

/**
 * TLS options that verify the server: its certificate must chain to a CA in `caFile` and name
 * `host` (DNS name or IP address), as libpq's sslmode=verify-full does. Nothing is sent to a server
 * that fails this, so a man-in-the-middle in the VPC gets neither the master password nor a SQL statement.
 */
export function verifiedTls(host: string, caFile: string): ConnectionOptions {
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the CA bundle ${caFile} to verify the database certificate: ${messageOf(e)}`);
  }
  // SNI takes host names only (RFC 6066); an IP address is still checked against the certificate's IP SANs.
  return { ca, rejectUnauthorized: true, servername: isIP(host) ? undefined : host };
}

/** Handles one custom resource event; see the file comment. */
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

  const wanted: Record<string, unknown> = {
    ...app,
    engine: 'postgres',
    username: appUsername,
    password: appPassword,
    host,
    port,
    dbname: databaseName,
    url: connectionUrl(appUsername, appPassword, host, port, databaseName),
    urlVerifyFull: connectionUrl(appUsername, appPassword, host, port, databaseName, requiredString(props, 'ClientCaBundle')),
  };
  // Only write when something changed: a re-run leaves the secret's versions alone.
  if (Object.keys(wanted).some((k) => app[k] !== wanted[k])) {
    await store.putJson(appSecretArn, wanted);
  }

  // The log group RDS exports PostgreSQL logs to: RDS would create it without retention.
  if (props.LogGroupName !== undefined) {
    if (!logGroups) throw new Error('LogGroupName is set but no log group client was given.');
    const logGroupName = requiredString(props, 'LogGroupName');
    const days = Number(requiredString(props, 'LogRetentionDays'));
    const kmsKeyArn = props.LogKmsKeyArn === undefined ? undefined : requiredString(props, 'LogKmsKeyArn');
    await logGroups.ensure(logGroupName, days, kmsKeyArn);
  }
  return { PhysicalResourceId: physicalResourceId, Data: { DatabaseName: databaseName, Username: appUsername } };
}

/** Lambda entry point: secrets come from Secrets Manager, TLS is on and verified. */
export async function handler(event: BootstrapEvent): Promise<BootstrapResponse> {
  return onEvent(event, secretsManagerStore(new SecretsManagerClient({})), { ssl: { caFile: caBundlePath() } }, cloudWatchLogGroups());
}

/**
 * LogGroupSettings on CloudWatch Logs, with the SDK v3 client the Lambda Node.js runtime ships
 * (loaded when needed; not a dependency of this package).
 */
export function cloudWatchLogGroups(): LogGroupSettings {
  return {
    async ensure(logGroupName, retentionInDays, kmsKeyId) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@aws-sdk/client-cloudwatch-logs');
      const client = new sdk.CloudWatchLogsClient({});
      try {
        await client.send(new sdk.CreateLogGroupCommand({ logGroupName, kmsKeyId }));
      } catch (e) {
        if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
        if (kmsKeyId) await client.send(new sdk.AssociateKmsKeyCommand({ logGroupName, kmsKeyId }));
      }
      await client.send(new sdk.PutRetentionPolicyCommand({ logGroupName, retentionInDays }));
    },
  };
}

/** A SecretStore on Secrets Manager. Error messages name the secret, never its content. */
export function secretsManagerStore(client: SecretsManagerClient): SecretStore {
  return {
    async getJson(secretId) {
      const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      return parseSecretJson(secretId, result.SecretString);
    },
    async putJson(secretId, value) {
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(value) }));
    },
  };
}

/** Parses a secret string as a JSON object without ever echoing it (JSON.parse errors quote the input). */
export function parseSecretJson(secretId: string, text: string | undefined): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new Error(`Secret ${secretId} does not hold a JSON object.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Secret ${secretId} does not hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function secretField(secret: Record<string, unknown>, field: string, which: string): string {
  const value = secret[field];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`The ${which} secret has no '${field}' field.`);
  }
  return value;
}

function requiredString(props: Record<string, unknown>, name: string): string {
  const value = props[name];
  if (value === undefined || value === null || String(value) === '') {
    throw new Error(`Missing custom resource property ${name}.`);
  }
  return String(value);
}

function checkName(prop: string, value: string, problem: (v: string) => string | undefined): void {
  const p = problem(value);
  if (p) throw new Error(`Invalid ${prop} '${value}': ${p}.`);
}

/** Node.js TLS errors that mean "this is not the server the CA bundle and host name vouch for". */
function isTlsVerificationError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  return code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
}

/** An error's message. Duck-typed: errors of Node's core modules may come from another realm (jest). */
function messageOf(e: unknown): string {
  if (isErrorLike(e)) {
    // AggregateError (e.g. ECONNREFUSED on IPv4 and IPv6) has an empty message; use the first cause.
    const first = (e as unknown as AggregateError).errors?.[0];
    return e.message || (isErrorLike(first) ? first.message : '') || e.code || e.name;
  }
  return String(e);
}

function isErrorLike(e: unknown): e is NodeJS.ErrnoException {
  return typeof e === 'object' && e !== null && typeof (e as Error).message === 'string' && typeof (e as Error).name === 'string';
}
