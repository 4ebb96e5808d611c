/**
 * UsersDatabase, deployed for real: the bootstrap creates the `users` database and its role and
 * writes the URL; a second bootstrap run on the live instance succeeds (idempotent); and a client
 * that knows only the URL from the app secret logs in, over TLS, as the app role that owns `users`.
 *
 * Why a probe function instead of awsApiCall('SecretsManager', 'getSecretValue'): the assertion
 * provider logs every SDK response, so that would put the password into its CloudWatch logs. The
 * probe runs in the VPC (admitted with `allowFrom`), reads the secret itself and returns only
 * booleans and names. It is bundled here with esbuild (it needs the `pg` client).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { buildSync } from 'esbuild';
import { UsersDatabase } from '../src';

const PROBE_SOURCE = `
import { readFileSync } from 'node:fs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Client } from 'pg';

export async function handler() {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ARN }));
  const secret = JSON.parse(out.SecretString ?? '{}');
  const url = new URL(secret.url);
  const result: Record<string, unknown> = {
    urlShape: /^postgres:\\/\\/scope_users:[A-Za-z0-9]+@[^:/]+:5432\\/users\\?sslmode=require$/.test(secret.url),
    urlVerifyFullShape: secret.urlVerifyFull === secret.url.replace('sslmode=require', 'sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Frds%2Fglobal-bundle.pem'),
  };
  const client = new Client({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    ssl: { rejectUnauthorized: false },
    connectionTimeoutMillis: 10000,
  });
  try {
    await client.connect();
    const row = (await client.query('SELECT current_user AS "user", current_database() AS "database", ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0];
    Object.assign(result, row);
    await client.query('CREATE TABLE IF NOT EXISTS probe (id int)');
    result.canCreateTables = true;
  } catch (e) {
    result.error = (e as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
  // The bootstrap's premise: the runtime's CA bundle verifies the RDS certificate and host name.
  const verified = new Client({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    ssl: { ca: readFileSync('/var/runtime/ca-cert.pem', 'utf8'), rejectUnauthorized: true, servername: url.hostname },
    connectionTimeoutMillis: 10000,
  });
  try {
    await verified.connect();
    await verified.query('SELECT 1');
    result.verifiedWithRuntimeBundle = true;
  } catch (e) {
    result.verifiedWithRuntimeBundle = (e as Error).message;
  } finally {
    await verified.end().catch(() => undefined);
  }
  return result;
}
`;

/** Bundles the probe into a fixed temporary directory (deterministic output, so the asset hash is stable). */
function bundleProbe(): string {
  const outdir = path.join(os.tmpdir(), 'cdk-scope-environment-integ-database-probe');
  fs.rmSync(outdir, { recursive: true, force: true });
  buildSync({
    stdin: { contents: PROBE_SOURCE, resolveDir: __dirname, loader: 'ts', sourcefile: 'probe.ts' },
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*', 'pg-native'],
    outfile: path.join(outdir, 'index.js'),
    logLevel: 'error',
  });
  return outdir;
}

const app = new App();
const stack = new Stack(app, 'ScopeDatabaseInteg');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
// Cheapest settings that still exercise everything; the stack leaves nothing behind.
const db = new UsersDatabase(stack, 'Database', {
  vpc,
  envName: 'dbinteg',
  multiAz: false,
  backupRetention: Duration.days(1),
  removalPolicy: RemovalPolicy.DESTROY,
});

const probe = new lambda.Function(stack, 'AppLoginProbe', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(bundleProbe()),
  timeout: Duration.seconds(30),
  vpc,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  environment: { SECRET_ARN: db.appSecret.secretArn },
});
db.allowFrom(probe, 'PostgreSQL from the integ probe');
db.grantConnect(probe);

// Idempotency on the live instance: a second bootstrap resource with the same properties runs the
// handler again once the first has finished; the deployment fails unless that run succeeds.
const provider = db.node.findChild('BootstrapProvider') as cr.Provider;
const again = new CustomResource(stack, 'BootstrapAgain', {
  serviceToken: provider.serviceToken,
  resourceType: 'Custom::UsersDatabaseBootstrap',
  properties: {
    Host: db.instance.dbInstanceEndpointAddress,
    Port: db.instance.dbInstanceEndpointPort,
    MasterSecretArn: db.secret.secretArn,
    AppSecretArn: db.appSecret.secretArn,
    DatabaseName: db.databaseName,
    AppUsername: db.appUsername,
    ClientCaBundle: UsersDatabase.CLIENT_CA_BUNDLE_PATH,
  },
});
again.node.addDependency(db.bootstrap);

const integ = new IntegTest(app, 'DatabaseTest', { testCases: [stack], regions: ['us-east-1'] });

// A client that only has the URL gets in, as the app role, over TLS, and owns the database.
const login = integ.assertions.invokeFunction({ functionName: probe.functionName });
login.expect(ExpectedResult.objectLike({
  Payload: '{"urlShape":true,"urlVerifyFullShape":true,"user":"scope_users","database":"users","ssl":true,"canCreateTables":true,'
    + '"verifiedWithRuntimeBundle":true}',
}));
