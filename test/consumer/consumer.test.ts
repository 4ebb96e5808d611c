/**
 * The consumer's path, as README.md tells it: the packed library (`npx projen package:tarball`:
 * jsii compile + bundled assets + `npm pack`) installed into a scratch CDK app made from the
 * committed template (test/consumer/app-template/, the same files README.md shows), with
 * bin/scope.ts = the README quick start verbatim, synthesized by the pinned `aws-cdk` CLI with no
 * AWS credentials. Catches missing assets, a bad `files`/npmignore, a broken `bin`, jsii packaging
 * errors, an AZ (or any other) context lookup, and README drift.
 *
 * Installing is offline and quick: the app's pinned tools and aws-cdk-lib are linked from this
 * repo's node_modules (the test checks their versions equal the template's pins); the library
 * itself comes from the tarball, so its files, bin and assets are exactly what npm would ship.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const TEMPLATE = path.join(__dirname, 'app-template');
const TARBALL_DIR = path.join(ROOT, 'dist', 'tarball');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The first ```<lang> block after `marker` in README.md. */
function readmeBlock(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no '${marker}'`);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(README.slice(at));
  if (!match) throw new Error(`README.md has no \`\`\`${lang} block after '${marker}'`);
  return match[1];
}

/** Newest modification time of the files that go into the package. */
function newestSource(): number {
  let newest = 0;
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) fs.readdirSync(p).forEach(f => walk(path.join(p, f)));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  ['src', 'assets', 'package.json', 'README.md', '.npmignore'].forEach(p => walk(path.join(ROOT, p)));
  return newest;
}

/** dist/tarball/*.tgz, rebuilt with `npx projen package:tarball` when missing or older than the sources. */
function tarball(): string {
  const find = () => fs.existsSync(TARBALL_DIR) ? fs.readdirSync(TARBALL_DIR).filter(f => f.endsWith('.tgz')).map(f => path.join(TARBALL_DIR, f)) : [];
  let found = find();
  if (found.length !== 1 || fs.statSync(found[0]).mtimeMs < newestSource()) {
    execFileSync('npx', ['projen', 'package:tarball'], { cwd: ROOT, stdio: 'pipe', timeout: 600_000 });
    found = find();
  }
  expect(found).toHaveLength(1);
  return found[0];
}

/** A clean environment: no AWS_* variables, no ~/.aws, no instance metadata, no npm/CDK chatter. */
function consumerEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
  };
}

describe('consumer: README quick start in a fresh app with the packed library', () => {
  let app: string;
  let env: NodeJS.ProcessEnv;
  let synth: { status: number | null; stdout: string; stderr: string };
  let manifest: any;

  beforeAll(() => {
    const tgz = tarball();
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'scope-consumer-'));
    env = consumerEnv(app);
    fs.cpSync(TEMPLATE, app, { recursive: true });

    // Link the template's pinned tools from this repo, after checking they are the pinned versions.
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
    for (const section of ['dependencies', 'devDependencies']) {
      for (const [name, pin] of Object.entries<string>(pkg[section])) {
        const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
        expect(`${name}@${installed}`).toBe(`${name}@${pin}`);
        pkg[section][name] = `file:${path.join(ROOT, 'node_modules', name)}`;
      }
    }
    // The library's own runtime dependencies (kubectl layers) the same way; the library from the tarball.
    const library = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const name of Object.keys(library.dependencies ?? {})) pkg.dependencies[name] = `file:${path.join(ROOT, 'node_modules', name)}`;
    pkg.dependencies['cdk-scope-environment'] = `file:${tgz}`;
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify(pkg, null, 2));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: app, env, stdio: 'pipe', timeout: 300_000 });

    fs.mkdirSync(path.join(app, 'bin'));
    fs.writeFileSync(path.join(app, 'bin', 'scope.ts'), readmeBlock('## Quick start', 'ts'));

    const result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--quiet'], { cwd: app, env, encoding: 'utf8', timeout: 600_000 });
    synth = { status: result.status, stdout: result.stdout, stderr: result.stderr };
    manifest = synth.status === 0 ? JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'manifest.json'), 'utf8')) : undefined;
  }, 900_000);

  afterAll(() => {
    if (app) fs.rmSync(app, { recursive: true, force: true });
  });

  test('README shows the template files and the pinned versions the test uses', () => {
    for (const file of ['package.json', 'cdk.json', 'tsconfig.json']) {
      expect(JSON.parse(readmeBlock(`<!-- consumer:${file} -->`, 'json'))).toEqual(JSON.parse(fs.readFileSync(path.join(TEMPLATE, file), 'utf8')));
    }
  });

  test('npx cdk synth succeeds with no AWS credentials and needs no lookup', () => {
    expect(synth.stderr).not.toMatch(/Need to perform AWS calls|Unable to resolve AWS account|context lookup|dummy1/i);
    expect(synth.status).toBe(0);
    expect(manifest.missing).toBeUndefined();
    expect(fs.existsSync(path.join(app, 'cdk.context.json'))).toBe(false);
  });

  test('both stacks, each in its own account, with the whole environment and its assets', () => {
    const stacks = Object.entries<any>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
    expect(Object.fromEntries(stacks.map(([name, a]) => [name, a.environment]))).toEqual({
      'scope-dev': 'aws://111111111111/eu-west-1',
      'scope-prod': 'aws://222222222222/eu-west-1',
    });
    for (const [name, artifact] of stacks) {
      const template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', artifact.properties.templateFile), 'utf8'));
      const resources = Object.values<any>(template.Resources);
      const count = (type: string) => resources.filter(r => r.Type === type).length;
      // one whole environment per stack, well under CloudFormation's 500-resource limit
      expect({ name, total: resources.length < 250 && resources.length > 60 }).toEqual({ name, total: true });
      expect({
        name,
        cluster: count('AWS::EKS::Cluster'),
        database: count('AWS::RDS::DBInstance'),
        table: count('AWS::DynamoDB::Table'),
        zone: count('AWS::Route53::HostedZone'),
        users: count('AWS::IAM::User'),
        nestedStacks: count('AWS::CloudFormation::Stack'),
      }).toEqual({ name, cluster: 1, database: 1, table: 1, zone: 1, users: 3, nestedStacks: 0 });
      expect(count('AWS::Lambda::Function')).toBeLessThanOrEqual(5);
      expect(JSON.stringify(template)).not.toMatch(/dummy1[abc]/);

      // every file asset the template needs was staged from the installed package (e.g. the
      // bundled database bootstrap handler from assets/)
      const assets = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', `${name}.assets.json`), 'utf8'));
      const files = Object.values<any>(assets.files).filter(f => !f.source.path.endsWith('.json'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(fs.existsSync(path.join(app, 'cdk.out', file.source.path))).toBe(true);
    }
    const bootstrap = fs.readdirSync(path.join(app, 'cdk.out')).filter(f => f.startsWith('asset.'))
      .map(f => path.join(app, 'cdk.out', f, 'index.js'))
      .filter(f => fs.existsSync(f) && fs.readFileSync(f, 'utf8').includes('CREATE DATABASE'));
    expect(bootstrap.length).toBeGreaterThan(0);
  });

  test('npx scope-credentials runs from the installed package (bin, bundled SDK)', () => {
    const help = spawnSync('npx', ['scope-credentials', '--help'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: scope-credentials --secret <arn-or-name>/);
    expect(help.stdout).toContain('secretsmanager:GetSecretValue');
    expect(help.stderr).toBe('');
    const installed = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdk-scope-environment', 'package.json'), 'utf8'));
    const version = spawnSync('npx', ['scope-credentials', '--version'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    expect(version.stdout).toBe(`${installed.version}\n`);
    // what the package ships: compiled JS, types, the jsii assembly and the bundled assets; no sources, no CI scripts
    const shipped = (p: string) => fs.existsSync(path.join(app, 'node_modules', 'cdk-scope-environment', p));
    expect(['lib/index.js', 'lib/index.d.ts', '.jsii', 'assets/iam/scope-credentials/index.js', 'README.md'].filter(p => !shipped(p))).toEqual([]);
    expect(['src', '.ci', 'test', 'integ', 'example'].filter(shipped)).toEqual([]);
  });
});
