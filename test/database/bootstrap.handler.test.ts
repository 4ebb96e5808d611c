/**
 * The bootstrap handler against a real PostgreSQL server (see postgres-server.ts). The master
 * user here is, as on RDS, a non-superuser with CREATEDB and CREATEROLE.
 */
import * as net from 'node:net';
import { Client, ClientConfig } from 'pg';
import { PostgresServer, SKIP_POSTGRES_TESTS, startPostgres } from './postgres-server';
import { caBundlePath, LAMBDA_CA_BUNDLE, verifiedTls } from '../../src/database/handler/connect';
import { BootstrapEvent, onEvent } from '../../src/database/handler/events';
import { DELETION_PROTECTION_TYPE, DeletionProtectionApi, isDeletionProtectionComplete, onDeletionProtectionEvent } from '../../src/database/handler/protection';
import { connectionUrl, parseSecretJson, SecretStore } from '../../src/database/handler/secrets';
import { bootstrap, BootstrapParams } from '../../src/database/handler/sql';

const MASTER = 'master_admin';
const MASTER_PASSWORD = 'master-password-1';
const describeWithPostgres = SKIP_POSTGRES_TESTS ? describe.skip : describe;

describeWithPostgres('bootstrap handler on a real PostgreSQL server', () => {
  let server: PostgresServer;
  let n = 0;
  /** A fresh database/role name pair per test, so tests don't see each other's objects. */
  const names = () => { n += 1; return { databaseName: `users_${n}`, appUsername: `app_${n}` }; };

  beforeAll(async () => {
    server = await startPostgres();
    await withClient(superuserConfig(), async (c) => {
      // Like the RDS master user: not a superuser, may create databases and roles.
      await c.query(`CREATE ROLE ${MASTER} LOGIN CREATEDB CREATEROLE PASSWORD '${MASTER_PASSWORD}'`);
      await c.query(`CREATE ROLE tls_admin LOGIN CREATEDB CREATEROLE PASSWORD '${MASTER_PASSWORD}'`);
      await c.query('CREATE ROLE outsider LOGIN PASSWORD \'outsider-password\'');
    });
  });

  afterAll(() => server?.stop());

  function superuserConfig(database = 'postgres'): ClientConfig {
    return { host: server.host, port: server.port, user: server.superuser, password: server.superuserPassword, database };
  }

  function params(overrides: Partial<BootstrapParams> = {}): BootstrapParams {
    return {
      host: server.host,
      port: server.port,
      masterUsername: MASTER,
      masterPassword: MASTER_PASSWORD,
      ...names(),
      appPassword: 'app-password-1',
      ssl: false,
      ...overrides,
    };
  }

  test('creates the role and a UTF8 database it owns and can use; other roles cannot connect', async () => {
    const p = params();
    await expect(bootstrap(p)).resolves.toEqual({ roleCreated: true, databaseCreated: true });

    const db = await withClient(superuserConfig(), async (c) => (await c.query(
      'SELECT pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1',
      [p.databaseName])).rows[0]);
    expect(db).toEqual({ owner: p.appUsername, encoding: 'UTF8' });
    const role = await withClient(superuserConfig(), async (c) => (await c.query(
      'SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1', [p.appUsername])).rows[0]);
    expect(role).toEqual({ rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false });

    // The app role logs in with its password and may create tables (it owns the database).
    await withClient(appConfig(p), (c) => c.query('CREATE TABLE t (id int)'));
    // REVOKE ... FROM PUBLIC: a role that is neither owner nor admin cannot connect.
    await expect(withClient({ ...appConfig(p), user: 'outsider', password: 'outsider-password' }, (c) => c.query('SELECT 1')))
      .rejects.toThrow(/permission denied for database/);
  });

  test('running twice changes nothing and fails nothing', async () => {
    const p = params();
    await bootstrap(p);
    await withClient(appConfig(p), (c) => c.query('CREATE TABLE kept (v text); INSERT INTO kept VALUES (\'row\')'));

    await expect(bootstrap(p)).resolves.toEqual({ roleCreated: false, databaseCreated: false });
    const rows = await withClient(appConfig(p), async (c) => (await c.query('SELECT v FROM kept')).rows);
    expect(rows).toEqual([{ v: 'row' }]);
  });

  test('keeps an existing database as it is (owner included)', async () => {
    const p = params();
    await withClient(superuserConfig(), (c) => c.query(`CREATE DATABASE ${p.databaseName}`));

    await expect(bootstrap(p)).resolves.toEqual({ roleCreated: true, databaseCreated: false });
    const owner = await withClient(superuserConfig(), async (c) => (await c.query(
      'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [p.databaseName])).rows[0].owner);
    expect(owner).toBe(server.superuser);
  });

  test('restored snapshot: existing role and data are kept, the role gets the new secret password', async () => {
    const p = params({ appPassword: 'old-password' });
    await bootstrap(p);
    await withClient(appConfig(p), (c) => c.query('CREATE TABLE users (name text); INSERT INTO users VALUES (\'alice\')'));

    // The new environment has a new app secret with a new password; the role and database come from the snapshot.
    const restored = { ...p, appPassword: 'new-password' };
    await expect(bootstrap(restored)).resolves.toEqual({ roleCreated: false, databaseCreated: false });

    const rows = await withClient(appConfig(restored), async (c) => (await c.query('SELECT name FROM users')).rows);
    expect(rows).toEqual([{ name: 'alice' }]);
    await expect(withClient(appConfig(p), (c) => c.query('SELECT 1'))).rejects.toThrow(/password authentication failed/);
  });

  test('names that are SQL keywords are quoted', async () => {
    const p = params({ databaseName: 'select', appUsername: 'group_' });
    await expect(bootstrap(p)).resolves.toEqual({ roleCreated: true, databaseCreated: true });
    await withClient(appConfig(p), (c) => c.query('SELECT 1'));
  });

  test.each([
    ['databaseName', { databaseName: 'Users' }, /Invalid databaseName 'Users': must match \[a-z_\]/],
    ['databaseName', { databaseName: 'users-db' }, /Invalid databaseName 'users-db'/],
    ['databaseName', { databaseName: 'x"; DROP DATABASE postgres; --' }, /Invalid databaseName/],
    ['databaseName', { databaseName: 'a'.repeat(64) }, /Invalid databaseName/],
    ['databaseName', { databaseName: 'template1' }, /Invalid databaseName 'template1': must not be one of the reserved databases/],
    ['appUsername', { appUsername: '' }, /Invalid appUsername ''/],
    ['appUsername', { appUsername: 'pg_app' }, /Invalid appUsername 'pg_app': must not start with pg_ or rds/],
    ['appUsername', { appUsername: 'public' }, /Invalid appUsername 'public'/],
    ['appUsername', { appUsername: MASTER }, /Invalid appUsername 'master_admin': must differ from the master user name/],
  ])('rejects invalid %s before any SQL: %j', async (_prop, override, message) => {
    // Port 1 on a non-routable address: reaching the network at all would fail differently and slower.
    await expect(bootstrap(params({ host: '192.0.2.1', port: 1, ...override }))).rejects.toThrow(message);
  });

  test('a wrong master password fails with the server\'s reason and without the password', async () => {
    const err = await bootstrap(params({ masterPassword: 'wrong-password' })).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+ as master_admin: password authentication failed for user "master_admin"/);
    expect((err as Error).message).not.toContain('wrong-password');
  });

  test('an unreachable host fails fast with a clear message', async () => {
    const started = Date.now();
    // TEST-NET-1 (RFC 5737): never routed; the connection attempt hangs or is refused, depending on the network.
    await expect(bootstrap(params({ host: '192.0.2.1', port: 5432 }))).rejects.toThrow(/^Cannot connect to PostgreSQL at 192\.0\.2\.1:5432 as master_admin: /);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('a server that never answers fails after the 10 s connection timeout, not later', async () => {
    // Accepts TCP connections and never answers: only the client connection timeout ends the attempt
    // (as with a security group that drops the packets).
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => { sockets.push(socket); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();
    try {
      await expect(bootstrap(params({ port }))).rejects.toThrow(new RegExp(`^Cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port} as master_admin: .*timeout`));
    } finally {
      sockets.forEach((socket) => socket.destroy());
      silent.close();
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(9_000);
    expect(elapsed).toBeLessThan(15_000);
  });

  test('a closed port fails with the connection error', async () => {
    await expect(bootstrap(params({ port: 1 }))).rejects.toThrow(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1 as master_admin: .*ECONNREFUSED/);
  });

  test('forced TLS (rds.force_ssl): the verified TLS options connect, plain TCP is refused', async () => {
    await expect(bootstrap(params({ masterUsername: 'tls_admin', ssl: false }))).rejects.toThrow(/no pg_hba.conf entry|rejects connection/);
    await expect(bootstrap(params({ masterUsername: 'tls_admin', ssl: verifiedTls(server.host, server.caFile) })))
      .resolves.toEqual({ roleCreated: true, databaseCreated: true });
  });

  describe('server certificate verification', () => {
    /** Whether the role and the database of `p` exist (as the superuser sees it). */
    async function created(p: BootstrapParams) {
      return withClient(superuserConfig(), async (c) => ({
        role: (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [p.appUsername])).rowCount,
        db: (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [p.databaseName])).rowCount,
      }));
    }

    test('a certificate from the right CA for the right host connects', async () => {
      const p = params({ masterUsername: 'tls_admin', ssl: verifiedTls(server.host, server.caFile) });
      await expect(bootstrap(p)).resolves.toEqual({ roleCreated: true, databaseCreated: true });
      expect(await created(p)).toEqual({ role: 1, db: 1 });
    });

    test('a CA that did not sign the server certificate fails clearly and changes nothing', async () => {
      const p = params({ masterUsername: 'tls_admin', ssl: verifiedTls(server.host, server.otherCaFile()) });
      await expect(bootstrap(p)).rejects.toThrow(new RegExp(`^Cannot connect to PostgreSQL at ${server.host}:${server.port} as tls_admin: `
        + 'unable to verify the first certificate'
        + ' \\(the server certificate failed verification against the CA bundle and host name; nothing was sent to the server\\)$'));
      expect(await created(p)).toEqual({ role: 0, db: 0 });
    });

    test('a host name the certificate does not name fails clearly and changes nothing', async () => {
      // The server certificate names IP 127.0.0.1 only; `localhost` reaches the same server under another name.
      const p = params({ host: 'localhost', masterUsername: 'tls_admin', ssl: verifiedTls('localhost', server.caFile) });
      await expect(bootstrap(p)).rejects.toThrow(/^Cannot connect to PostgreSQL at localhost:\d+ as tls_admin: Hostname\/IP does not match certificate's altnames: Host: localhost\. .* \(the server certificate failed verification/);
      expect(await created(p)).toEqual({ role: 0, db: 0 });
    });

    test('a missing CA bundle fails before connecting, naming the file', () => {
      expect(() => verifiedTls(server.host, '/nonexistent/ca.pem')).toThrow(/^Cannot read the CA bundle \/nonexistent\/ca\.pem to verify the database certificate: ENOENT/);
    });

    test('the CA bundle is the Lambda runtime\'s unless DATABASE_CA_BUNDLE names another', () => {
      expect(LAMBDA_CA_BUNDLE).toBe('/var/runtime/ca-cert.pem');
      expect(caBundlePath({})).toBe('/var/runtime/ca-cert.pem');
      expect(caBundlePath({ DATABASE_CA_BUNDLE: '' })).toBe('/var/runtime/ca-cert.pem');
      expect(caBundlePath({ DATABASE_CA_BUNDLE: server.caFile })).toBe(server.caFile);
    });

    test('host names are sent as SNI and checked; IP addresses are checked against IP SANs without SNI', () => {
      expect(verifiedTls('db.example.com', server.caFile)).toMatchObject({ rejectUnauthorized: true, servername: 'db.example.com' });
      expect(verifiedTls('127.0.0.1', server.caFile).servername).toBeUndefined();
      expect(verifiedTls('127.0.0.1', server.caFile).ca).toContain('BEGIN CERTIFICATE');
    });
  });

  describe('onEvent', () => {
    const masterArn = 'arn:master';
    const appArn = 'arn:app';
    // A password with every character that must be URL-encoded.
    const trickyPassword = 'p@ss:w/rd?#[]%& +x';

    function store(initialApp: Record<string, unknown>) {
      const secrets = new Map<string, Record<string, unknown>>([
        [masterArn, { username: MASTER, password: MASTER_PASSWORD, engine: 'postgres' }],
        [appArn, initialApp],
      ]);
      const puts: string[] = [];
      const s: SecretStore = {
        async getJson(id) {
          const v = secrets.get(id);
          if (!v) throw new Error(`no secret ${id}`);
          return { ...v };
        },
        async putJson(id, value) { puts.push(id); secrets.set(id, { ...value }); },
      };
      return { s, secrets, puts };
    }

    function event(type: BootstrapEvent['RequestType'], props: Record<string, unknown>, physicalId?: string): BootstrapEvent {
      return {
        RequestType: type,
        PhysicalResourceId: physicalId,
        ResourceProperties: {
          ServiceToken: 'arn:aws:lambda:x',
          Host: server.host,
          Port: String(server.port),
          MasterSecretArn: masterArn,
          AppSecretArn: appArn,
          ClientCaBundle: server.caFile,
          ...props,
        },
      };
    }

    test('Create writes a working postgres:// URL into the app secret; a second run writes nothing', async () => {
      const { databaseName, appUsername } = names();
      const { s, secrets, puts } = store({ username: appUsername, password: trickyPassword });
      const props = { DatabaseName: databaseName, AppUsername: appUsername };

      const response = await onEvent(event('Create', props), s, { ssl: false });
      expect(response).toEqual({
        PhysicalResourceId: `${server.host}:${server.port}/${databaseName}`,
        Data: { DatabaseName: databaseName, Username: appUsername },
      });
      const secret = secrets.get(appArn)!;
      expect(secret).toEqual({
        engine: 'postgres',
        username: appUsername,
        password: trickyPassword,
        host: server.host,
        port: server.port,
        dbname: databaseName,
        url: connectionUrl(appUsername, trickyPassword, server.host, server.port, databaseName),
        urlVerifyFull: connectionUrl(appUsername, trickyPassword, server.host, server.port, databaseName, server.caFile),
      });
      expect(secret.urlVerifyFull).toBe(`postgres://${appUsername}:p%40ss%3Aw%2Frd%3F%23%5B%5D%25%26%20%2Bx@${server.host}:${server.port}/${databaseName}`
        + `?sslmode=verify-full&sslrootcert=${encodeURIComponent(server.caFile)}`);
      expect(secret.url).toBe(`postgres://${appUsername}:p%40ss%3Aw%2Frd%3F%23%5B%5D%25%26%20%2Bx@${server.host}:${server.port}/${databaseName}?sslmode=require`);

      // A client reading only the URL gets in.
      const url = new URL(secret.url as string);
      expect(url.searchParams.get('sslmode')).toBe('require');
      await withClient({
        host: url.hostname,
        port: Number(url.port),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: decodeURIComponent(url.pathname.slice(1)),
      }, (c) => c.query('SELECT 1'));

      // urlVerifyFull as is: node-postgres reads sslrootcert and verifies the chain and the host.
      await withClient({ connectionString: secret.urlVerifyFull as string }, (c) => c.query('SELECT 1'));
      // node-postgres 8 treats sslmode=require as verify-full against Node's default CAs: `url` fails
      // against a private CA (as against RDS), which is why node clients take urlVerifyFull.
      // pg-connection-string says so itself, once per process, in a SECURITY WARNING about sslmode
      // aliases: captured here so the test run prints no warning block.
      const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      let warnings: string[];
      try {
        await expect(withClient({ connectionString: secret.url as string }, (c) => c.query('SELECT 1')))
          .rejects.toThrow(/^unable to verify the first certificate$/);
      } finally {
        warnings = spy.mock.calls.map(([w]) => String(w));
        spy.mockRestore();
      }
      expect(warnings).toEqual([expect.stringMatching(/treated as aliases for 'verify-full'/)]);

      await onEvent(event('Update', props, response.PhysicalResourceId), s, { ssl: false });
      expect(puts).toEqual([appArn]);
    });

    test('with TLS verification: the right CA bootstraps; a wrong CA writes no secret and creates nothing', async () => {
      const tlsStore = (app: Record<string, unknown>) => {
        const st = store(app);
        st.secrets.set(masterArn, { username: 'tls_admin', password: MASTER_PASSWORD });
        return st;
      };
      const bad = names();
      const rejected = tlsStore({ username: bad.appUsername, password: 'pw-tls' });
      await expect(onEvent(event('Create', { DatabaseName: bad.databaseName, AppUsername: bad.appUsername }), rejected.s,
        { ssl: { caFile: server.otherCaFile() } })).rejects.toThrow(/certificate failed verification/);
      expect(rejected.puts).toEqual([]);
      const left = await withClient(superuserConfig(), async (c) => ({
        db: (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [bad.databaseName])).rowCount,
        role: (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [bad.appUsername])).rowCount,
      }));
      expect(left).toEqual({ db: 0, role: 0 });

      const good = names();
      const accepted = tlsStore({ username: good.appUsername, password: 'pw-tls' });
      await onEvent(event('Create', { DatabaseName: good.databaseName, AppUsername: good.appUsername }), accepted.s,
        { ssl: { caFile: server.caFile } });
      expect(accepted.puts).toEqual([appArn]);
      await withClient({ connectionString: accepted.secrets.get(appArn)!.urlVerifyFull as string }, (c) => c.query('SELECT 1'));
    });

    test('Update to a new database name creates it and leaves the old one', async () => {
      const first = names();
      const second = names();
      const { s } = store({ username: first.appUsername, password: 'pw-1' });
      const created = await onEvent(event('Create', { DatabaseName: first.databaseName, AppUsername: first.appUsername }), s, { ssl: false });
      await onEvent(event('Update', { DatabaseName: second.databaseName, AppUsername: first.appUsername }, created.PhysicalResourceId), s, { ssl: false });

      const dbs = await withClient(superuserConfig(), async (c) => (await c.query(
        'SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY datname', [[first.databaseName, second.databaseName]])).rows);
      expect(dbs.map((r) => r.datname)).toEqual([first.databaseName, second.databaseName].sort());
    });

    test('Delete drops nothing and reads no secret', async () => {
      const { databaseName, appUsername } = names();
      const { s } = store({ username: appUsername, password: 'pw' });
      const props = { DatabaseName: databaseName, AppUsername: appUsername };
      const created = await onEvent(event('Create', props), s, { ssl: false });

      const untouchable: SecretStore = {
        getJson: () => Promise.reject(new Error('Delete must not read secrets')),
        putJson: () => Promise.reject(new Error('Delete must not write secrets')),
      };
      await expect(onEvent(event('Delete', props, created.PhysicalResourceId), untouchable, { ssl: false }))
        .resolves.toEqual({ PhysicalResourceId: created.PhysicalResourceId });

      const left = await withClient(superuserConfig(), async (c) => ({
        db: (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName])).rowCount,
        role: (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [appUsername])).rowCount,
      }));
      expect(left).toEqual({ db: 1, role: 1 });
    });

    test('rotation: a new password in the app secret plus a BootstrapSerial bump (an Update) resets the role and the URL', async () => {
      const { databaseName, appUsername } = names();
      const { s, secrets } = store({ username: appUsername, password: 'old-password-1' });
      const props = { DatabaseName: databaseName, AppUsername: appUsername };
      const created = await onEvent(event('Create', props), s, { ssl: false });
      const config = (password: string): ClientConfig =>
        ({ host: server.host, port: server.port, user: appUsername, password, database: databaseName });
      await withClient(config('old-password-1'), (c) => c.query('SELECT 1'));

      secrets.set(appArn, { ...secrets.get(appArn)!, password: 'new-password-2' });
      await onEvent(event('Update', { ...props, BootstrapSerial: '1' }, created.PhysicalResourceId), s, { ssl: false });

      await withClient(config('new-password-2'), (c) => c.query('SELECT 1'));
      await expect(withClient(config('old-password-1'), (c) => c.query('SELECT 1'))).rejects.toThrow(/password authentication failed/);
      expect(secrets.get(appArn)!.url).toBe(connectionUrl(appUsername, 'new-password-2', server.host, server.port, databaseName));
    });

    test('the PostgreSQL export log group gets its retention and key when LogGroupName is set, and only then', async () => {
      const calls: unknown[][] = [];
      const logGroups = { ensure: async (...args: unknown[]) => { calls.push(args); } };
      const first = names();
      await onEvent(event('Create', { DatabaseName: first.databaseName, AppUsername: first.appUsername }),
        store({ username: first.appUsername, password: 'pw' }).s, { ssl: false }, logGroups);
      expect(calls).toEqual([]);

      const second = names();
      await onEvent(event('Create', {
        DatabaseName: second.databaseName,
        AppUsername: second.appUsername,
        LogGroupName: '/aws/rds/instance/db-1/postgresql',
        LogRetentionDays: '365',
        LogKmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/k',
      }), store({ username: second.appUsername, password: 'pw' }).s, { ssl: false }, logGroups);
      expect(calls).toEqual([['/aws/rds/instance/db-1/postgresql', 365, 'arn:aws:kms:eu-west-1:222222222222:key/k']]);
    });

    test('an app secret without a password fails with a clear message', async () => {
      const { databaseName, appUsername } = names();
      const { s } = store({ username: appUsername });
      await expect(onEvent(event('Create', { DatabaseName: databaseName, AppUsername: appUsername }), s, { ssl: false }))
        .rejects.toThrow("The application secret has no 'password' field.");
    });

    test('a missing property fails with its name', async () => {
      const { s } = store({ password: 'pw' });
      await expect(onEvent(event('Create', { AppUsername: 'app_x' }), s, { ssl: false })).rejects.toThrow('Missing custom resource property DatabaseName.');
    });
  });

  function appConfig(p: BootstrapParams): ClientConfig {
    return { host: p.host, port: p.port, user: p.appUsername, password: p.appPassword, database: p.databaseName };
  }
});

describe('deletion protection step (Custom::UsersDatabaseDeletionProtection)', () => {
  /**
   * The instance, load balancer and table as far as the step sees them: a protection flag each, and
   * N "busy" refusals of the instance (its first backup) and the table (another update).
   */
  function resources(busy: { db?: number; table?: number } = {}) {
    const state = { db: false, lb: false, table: false, calls: 0, busyDb: busy.db ?? 0, busyTable: busy.table ?? 0 };
    const refuse = (name: string, message: string) => Object.assign(new Error(message), { name });
    const api: DeletionProtectionApi = {
      async protectDatabase(id) {
        state.calls += 1;
        if (id !== 'users-db') throw refuse('DBInstanceNotFoundFault', `DBInstance ${id} not found.`);
        if (state.busyDb-- > 0) throw refuse('InvalidDBInstanceStateFault', 'Database instance is not in available state.');
        return (state.db = true);
      },
      async protectLoadBalancer(arn) {
        state.calls += 1;
        if (!arn.endsWith('/frontend')) throw refuse('AccessDenied', `not allowed on ${arn}`);
        return (state.lb = true);
      },
      async protectTable() {
        state.calls += 1;
        if (state.busyTable-- > 0) throw refuse('ResourceInUseException', 'Table is being updated.');
        return (state.table = true);
      },
    };
    return { state, api };
  }
  const step = (type: BootstrapEvent['RequestType'], props: Record<string, unknown> = {}): BootstrapEvent => ({
    RequestType: type,
    ResourceType: DELETION_PROTECTION_TYPE,
    PhysicalResourceId: type === 'Create' ? undefined : 'users-db/deletion-protection',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:x', DBInstanceIdentifier: 'users-db', DeletionProtection: 'true', ...props },
  });
  const all = { LoadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/net/frontend', TableName: 'prod_reports' };

  test('onEvent only names the step; isComplete protects every target and reports each to CloudFormation', async () => {
    const { state, api } = resources();
    expect(onDeletionProtectionEvent(step('Create', all))).toEqual({ PhysicalResourceId: 'users-db/deletion-protection' });
    expect(state.calls).toBe(0);
    await expect(isDeletionProtectionComplete(step('Create', all), api)).resolves.toEqual({
      IsComplete: true,
      Data: { DatabaseDeletionProtection: 'true', LoadBalancerDeletionProtection: 'true', TableDeletionProtection: 'true' },
    });
    expect([state.db, state.lb, state.table]).toEqual([true, true, true]);
  });

  test('the database alone when no load balancer or table is named (a standalone UsersDatabase)', async () => {
    const { state, api } = resources();
    await expect(isDeletionProtectionComplete(step('Update'), api)).resolves.toEqual({ IsComplete: true, Data: { DatabaseDeletionProtection: 'true' } });
    expect([state.db, state.lb, state.table, state.calls]).toEqual([true, false, false, 1]);
  });

  test('not complete (and no Data) while the instance or the table is busy; complete once they are not', async () => {
    const { state, api } = resources({ db: 1, table: 2 });
    await expect(isDeletionProtectionComplete(step('Create', all), api)).resolves.toEqual({ IsComplete: false });
    await expect(isDeletionProtectionComplete(step('Create', all), api)).resolves.toEqual({ IsComplete: false });
    await expect(isDeletionProtectionComplete(step('Create', all), api)).resolves.toMatchObject({ IsComplete: true });
    expect([state.db, state.lb, state.table]).toEqual([true, true, true]);
  });

  test('Delete does nothing: protection stays', async () => {
    const { state, api } = resources();
    expect(onDeletionProtectionEvent(step('Delete', all))).toEqual({ PhysicalResourceId: 'users-db/deletion-protection' });
    await expect(isDeletionProtectionComplete(step('Delete', all), api)).resolves.toEqual({ IsComplete: true });
    expect(state.calls).toBe(0);
  });

  test('any other refusal fails the step at once, naming the resource', async () => {
    const { api } = resources();
    await expect(isDeletionProtectionComplete(step('Create', { DBInstanceIdentifier: 'other' }), api))
      .rejects.toThrow('Cannot turn on deletion protection of DB instance other: DBInstance other not found.');
    await expect(isDeletionProtectionComplete(step('Create', { LoadBalancerArn: 'arn:x/other' }), api))
      .rejects.toThrow('Cannot turn on deletion protection of load balancer arn:x/other: not allowed on arn:x/other');
  });
});

describe('parseSecretJson', () => {
  test('never echoes a malformed secret', () => {
    expect(() => parseSecretJson('arn:s', 'not-json s3cr3t')).toThrow(/^Secret arn:s does not hold a JSON object\.$/);
    expect(() => parseSecretJson('arn:s', '"s3cr3t"')).toThrow(/^Secret arn:s does not hold a JSON object\.$/);
    expect(parseSecretJson('arn:s', '{"password":"x"}')).toEqual({ password: 'x' });
  });
});

async function withClient<T>(config: ClientConfig, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionTimeoutMillis: 10_000, ...config });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
