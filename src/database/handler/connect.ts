/**
 * The master user's connection to PostgreSQL, verified TLS: the CA bundle, the TLS options and the
 * connect step with its error hint.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client } from 'pg';
import { messageOf } from './errors';

/** How the master user connects. */
export interface MasterConnectionParams {
  readonly host: string;
  readonly port: number;
  /** Master (admin) user: needs CREATEDB and CREATEROLE, as the RDS master user has. */
  readonly masterUsername: string;
  readonly masterPassword: string;
  /** TLS options for the connection, or false for plain TCP (local tests only). */
  readonly ssl: false | ConnectionOptions;
  /** Database the master user connects to. @default 'postgres' */
  readonly maintenanceDatabase?: string;
  /** @default 10000 */
  readonly connectionTimeoutMillis?: number;
  /** Server-side statement timeout. @default 30000 */
  readonly statementTimeoutMillis?: number;
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

/** Connects as the master user; the caller ends the client. */
export async function connectAsMaster(params: MasterConnectionParams): Promise<Client> {
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
  return client;
}

/** Node.js TLS errors that mean "this is not the server the CA bundle and host name vouch for". */
function isTlsVerificationError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? '';
  return code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
}
