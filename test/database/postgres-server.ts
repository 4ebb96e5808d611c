/**
 * A private, throw-away PostgreSQL server for the bootstrap handler tests: Debian's `postgresql`
 * package, a temporary data directory, a free port on 127.0.0.1, TLS with a server certificate
 * (subject alternative name IP:127.0.0.1 only) signed by a CA made for the run (`caFile`),
 * password (SCRAM) authentication only.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (created by
 * the Debian package) through `runuser`. When PostgreSQL is not installed the setup throws with
 * the install command: these tests fail rather than skip, unless SKIP_POSTGRES_TESTS=1 says so.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A running server; `stop()` shuts it down and deletes its files. */
export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly superuser: string;
  readonly superuserPassword: string;
  /** PEM file of the CA that signed the server certificate (as the RDS CA bundle is for RDS). */
  readonly caFile: string;
  /** Makes another CA, which did not sign the server certificate; returns its PEM file. */
  otherCaFile(): string;
  stop(): void;
}

/** Set SKIP_POSTGRES_TESTS=1 to skip the handler tests on a machine without PostgreSQL. */
export const SKIP_POSTGRES_TESTS = process.env.SKIP_POSTGRES_TESTS === '1';

/** Directory with initdb, pg_ctl and postgres: $PG_BIN, else the newest /usr/lib/postgresql/<v>/bin. */
export function findPostgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error('PostgreSQL server binaries not found (no /usr/lib/postgresql/*/bin/initdb). Install them with '
      + '`apt-get install -y --no-install-recommends postgresql`, point PG_BIN at them, or set SKIP_POSTGRES_TESTS=1 to skip these tests.');
  }
  return path.join(root, versions[0], 'bin');
}

/** Starts a fresh server; takes a few seconds. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'users-db-test-'));
  const data = path.join(dir, 'data');
  const superuser = 'postgres';
  const superuserPassword = 'test-superuser-password';
  const port = await freePort();

  // Run a server binary as the `postgres` user when we are root, as ourselves otherwise.
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    return execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 }).toString();
  };

  fs.writeFileSync(path.join(dir, 'pwfile'), superuserPassword + '\n');
  // A CA, and a server certificate it signs for IP 127.0.0.1 only (so `localhost` is a wrong host name).
  const caFile = makeCa(dir, 'ca');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', cwd: dir });
  openssl('req', '-new', '-nodes', '-subj', '/CN=users-db-test', '-keyout', 'server.key', '-out', 'server.csr');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
    '-extfile', 'server.ext', '-out', 'server.crt');
  fs.chmodSync(path.join(dir, 'server.key'), 0o600);
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);

  try {
    run('initdb', ['-D', data, '-U', superuser, `--pwfile=${path.join(dir, 'pwfile')}`, '--auth=scram-sha-256',
      '--encoding=UTF8', '--locale=C']);
    // Password authentication over TCP only. `tls_admin` may only connect over TLS (as rds.force_ssl=1 does for everyone on RDS).
    fs.writeFileSync(path.join(data, 'pg_hba.conf'), [
      'local all postgres scram-sha-256',
      'hostnossl all tls_admin 127.0.0.1/32 reject',
      'host all all 127.0.0.1/32 scram-sha-256',
      '',
    ].join('\n'));
    const options = [`-p ${port}`, "-c listen_addresses='127.0.0.1'", `-c unix_socket_directories='${dir}'`,
      '-c ssl=on', `-c ssl_cert_file='${path.join(dir, 'server.crt')}'`, `-c ssl_key_file='${path.join(dir, 'server.key')}'`,
      '-c fsync=off'].join(' ');
    run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (e) {
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Could not start PostgreSQL from ${bin}: ${(e as Error).message}\n${log}`);
  }

  return {
    host: '127.0.0.1',
    port,
    superuser,
    superuserPassword,
    caFile,
    otherCaFile: () => makeCa(dir, `other-ca-${Date.now()}`),
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A self-signed CA certificate `<name>.crt` (key `<name>.key`) in `dir`; returns the certificate's path. */
function makeCa(dir: string, name: string): string {
  execFileSync('openssl', ['req', '-new', '-x509', '-nodes', '-days', '1', '-subj', `/CN=${name} test CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', `${name}.key`, '-out', `${name}.crt`], { stdio: 'pipe', cwd: dir });
  return path.join(dir, `${name}.crt`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
