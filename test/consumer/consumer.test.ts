/**
 * The consumer's first run (the second, consumer-init.test.ts, is an app from the newest `cdk init`
 * with the newest aws-cdk-lib and its recommended feature flags): the lowest supported aws-cdk-lib
 * (the peer minimum, 2.257.0) with the README's cdk.json, which sets no feature flag.
 *
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
import { brokenPromises, cdkSynth, cliWarningMismatches, consumerEnv, foreignWarnings, readmeBlock, ROOT, Synth, tarball, templates, warningAnnotations } from './scratch-app';

const TEMPLATE = path.join(__dirname, 'app-template');

describe('consumer: README quick start in a fresh app with the packed library', () => {
  let app: string;
  let env: NodeJS.ProcessEnv;
  let synth: Synth;
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

    synth = cdkSynth(app, env);
    manifest = synth.manifest;
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
    expect(synth.output).not.toMatch(/Need to perform AWS calls|Unable to resolve AWS account|context lookup|dummy1/i);
    expect({ status: synth.status, output: synth.status === 0 ? '' : synth.output }).toEqual({ status: 0, output: '' });
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
      // kubectl handler + onEvent, bootstrap + onEvent, and in PRODUCTION the protection step's
      // isComplete/onTimeout; DEVELOPMENT's bucket emptier.
      expect(count('AWS::Lambda::Function')).toBeLessThanOrEqual(6);
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

  test("the README's promises: DEVELOPMENT leaves nothing behind, every log group expires, PRODUCTION's are encrypted", () => {
    expect(brokenPromises(templates(app, manifest), stack => stack === 'scope-prod')).toEqual([]);
  });

  test("no warning other than the library's own documented ones (annotations and CLI output)", () => {
    const warnings = warningAnnotations(app, manifest);
    expect(foreignWarnings(warnings)).toEqual([]);
    expect(cliWarningMismatches(synth.output, warnings)).toEqual([]);
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
    // what the package ships: compiled JS, types, the jsii assembly, the bundled assets and the
    // sources its source maps name; no tests, no CI scripts
    const shipped = (p: string) => fs.existsSync(path.join(app, 'node_modules', 'cdk-scope-environment', p));
    expect(['lib/index.js', 'lib/index.d.ts', '.jsii', 'assets/iam/scope-credentials/index.js', 'README.md', 'src/index.ts'].filter(p => !shipped(p))).toEqual([]);
    expect(['.ci', 'test', 'integ', 'example'].filter(shipped)).toEqual([]);
  });

  test('every source a shipped source map names is in the package (stack traces point into files that exist)', () => {
    const pkg = path.join(app, 'node_modules', 'cdk-scope-environment');
    const missing: string[] = [];
    let maps = 0;
    const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach(entry => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(file);
      if (!entry.name.endsWith('.js')) return;
      const inline = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(fs.readFileSync(file, 'utf8'));
      if (!inline) return;
      maps++;
      const map = JSON.parse(Buffer.from(inline[1], 'base64').toString('utf8'));
      for (const source of map.sources) {
        if (!fs.existsSync(path.resolve(dir, map.sourceRoot ?? '', source))) missing.push(`${path.relative(pkg, file)} -> ${source}`);
      }
    });
    walk(path.join(pkg, 'lib'));
    expect(maps).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
