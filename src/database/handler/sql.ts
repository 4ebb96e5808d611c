/**
 * The idempotent SQL of the bootstrap: create the application role (or reset its password) and
 * the application database owned by it (or keep the existing one untouched). A pure function of
 * its connection parameters, so the tests run it against a real PostgreSQL server.
 */
import { Client, escapeIdentifier, escapeLiteral, QueryResult } from 'pg';
import { connectAsMaster, MasterConnectionParams } from './connect';
import { messageOf } from './errors';
import { scramSha256Verifier } from './scram';
import { databaseNameProblem, roleNameProblem } from '../names';

/** Connection and naming parameters of one bootstrap run. */
export interface BootstrapParams extends MasterConnectionParams {
  /** Database to create (or keep). */
  readonly databaseName: string;
  /** Login role that owns the database. */
  readonly appUsername: string;
  readonly appPassword: string;
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

  const client = await connectAsMaster(params);
  const steps = new Steps(client);
  try {
    const roleCreated = await ensureRole(steps, params.appUsername, passwordVerifier);
    const databaseCreated = await ensureDatabase(steps, params.databaseName, params.appUsername);
    return { roleCreated, databaseCreated };
  } catch (e) {
    throw new Error(`Bootstrap of database '${params.databaseName}' failed (${steps.current}): ${messageOf(e)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs the queries of a bootstrap and remembers the step of the last one, for the error message. */
class Steps {
  public current = 'look up the role';

  constructor(private readonly client: Client) {}

  public async run(step: string, sql: string, values?: unknown[]): Promise<QueryResult> {
    this.current = step;
    return this.client.query(sql, values);
  }
}

/** Creates the login role, or sets its password; returns whether it was created. */
async function ensureRole(steps: Steps, appUsername: string, passwordVerifier: string): Promise<boolean> {
  const role = escapeIdentifier(appUsername);
  const roleExists = (await steps.run('look up the role', 'SELECT 1 FROM pg_roles WHERE rolname = $1', [appUsername])).rowCount === 1;
  // The password goes over the wire as a SCRAM verifier, never in clear text, so it cannot end
  // up in server logs (log_statement, pgaudit) even if those log DDL.
  if (roleExists) {
    await steps.run('set the role password', `ALTER ROLE ${role} WITH LOGIN PASSWORD ${escapeLiteral(passwordVerifier)}`);
  } else {
    await steps.run('create the role', `CREATE ROLE ${role} WITH LOGIN PASSWORD ${escapeLiteral(passwordVerifier)}`);
  }
  return !roleExists;
}

/** Creates the database owned by the role, private to it, unless it exists; returns whether it was created. */
async function ensureDatabase(steps: Steps, databaseName: string, appUsername: string): Promise<boolean> {
  const dbExists = (await steps.run('look up the database', 'SELECT 1 FROM pg_database WHERE datname = $1', [databaseName])).rowCount === 1;
  if (dbExists) return false;
  const role = escapeIdentifier(appUsername);
  const db = escapeIdentifier(databaseName);
  // A non-superuser (the RDS master) may only create a database owned by a role it can SET ROLE to.
  await steps.run('grant the role to the master user', `GRANT ${role} TO CURRENT_USER`);
  await steps.run('create the database', `CREATE DATABASE ${db} WITH OWNER ${role} TEMPLATE template0 ENCODING 'UTF8'`);
  await steps.run('make the database private', `REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
  return true;
}

function checkName(prop: string, value: string, problem: (v: string) => string | undefined): void {
  const p = problem(value);
  if (p) throw new Error(`Invalid ${prop} '${value}': ${p}.`);
}
