/**
 * The consumer's second run: an app made the way AWS's guide starts one, `cdk init app --language
 * typescript` of the newest CLI, with exactly what that init writes (its cdk.json with the
 * recommended feature flags, its tsconfig, `npx tsc && npx tsx bin/<app>.ts`), the newest
 * aws-cdk-lib and constructs, the packed library, and bin/<app>.ts = the README quick start.
 *
 * The versions are pinned exact here and in .projenrc.ts (the newest on the registry when last
 * bumped, on purpose): aws-cdk-lib and constructs are this repo's alias devDependencies
 * aws-cdk-lib-newest / constructs-newest, hard-linked into the scratch app under their real names,
 * so nothing is downloaded. One deviation from the init's package.json: its type check runs with
 * the repo's TypeScript 6 (the init asks for ~7.0; an alias of TypeScript 7 would take over the
 * repo's own `tsc` bin).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { brokenPromises, cdkSynth, cliWarningMismatches, consumerEnv, foreignWarnings, installTarball, linkInstall, readmeBlock, ROOT, Synth, tarball, templates, warningAnnotations } from './scratch-app';

/** The newest CLI and library on the registry (`npm view aws-cdk version`, `npm view aws-cdk-lib version`). */
const CLI_VERSION = '2.1149.0';
const LIB_VERSION = '2.278.0';
const CONSTRUCTS_VERSION = '10.8.1';

/** `version` satisfies the caret range `range` (`^2.277.0`, `^30`): the only form `cdk init` writes. */
function caretSatisfies(version: string, range: string): boolean {
  const match = /^\^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range);
  if (!match) throw new Error(`not a caret range: ${range}`);
  const want = match.slice(1).map(n => Number(n ?? 0));
  const have = version.split('.').map(Number);
  if (have[0] !== want[0]) return false;
  for (let i = 1; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

const installed = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

describe('consumer: `cdk init app --language typescript` of the newest CLI, newest aws-cdk-lib, README quick start', () => {
  let app: string;
  let init: any;
  let synth: Synth;

  beforeAll(() => {
    const tgz = tarball();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'scope-consumer-init-'));
    app = path.join(home, 'scope-app');
    fs.mkdirSync(app);
    const env = consumerEnv(home);

    // The init template ships inside the aws-cdk package: --generate-only writes the files, offline.
    expect(installed('aws-cdk')).toBe(CLI_VERSION);
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['init', 'app', '--language', 'typescript', '--generate-only'], { cwd: app, env, stdio: 'pipe', timeout: 120_000 });
    init = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));

    const nodeModules = path.join(app, 'node_modules');
    linkInstall(nodeModules, 'aws-cdk-lib-newest', ROOT, 'aws-cdk-lib');
    linkInstall(nodeModules, 'constructs-newest', ROOT, 'constructs');
    linkInstall(nodeModules, 'types-node-newest', ROOT, '@types/node');
    for (const tool of ['aws-cdk', 'tsx', 'typescript', '@types/jest']) linkInstall(nodeModules, tool);
    installTarball(app, tgz);

    fs.writeFileSync(path.join(app, 'bin', 'scope-app.ts'), readmeBlock('## Quick start', 'ts'));
    synth = cdkSynth(app, env);
  }, 900_000);

  afterAll(() => {
    if (app) fs.rmSync(path.dirname(app), { recursive: true, force: true });
  });

  test('the app is what the pinned CLI init writes, with the newest library installed', () => {
    expect(init.devDependencies['aws-cdk']).toBe(CLI_VERSION);
    expect(init.devDependencies.tsx).toBeDefined();
    expect(JSON.parse(fs.readFileSync(path.join(app, 'cdk.json'), 'utf8')).app).toBe('npx tsc && npx tsx bin/scope-app.ts');
    const version = (name: string) => JSON.parse(fs.readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8')).version;
    expect([version('aws-cdk-lib'), version('constructs')]).toEqual([LIB_VERSION, CONSTRUCTS_VERSION]);
    for (const name of ['aws-cdk-lib', 'constructs', 'tsx', '@types/node', '@types/jest']) {
      const range = init.dependencies[name] ?? init.devDependencies[name];
      expect(`${name}@${version(name)} satisfies ${range}: ${caretSatisfies(version(name), range)}`).toBe(`${name}@${version(name)} satisfies ${range}: true`);
    }
    // the recommended feature flags are there (the one that retains Lambda log groups among them)
    const context = JSON.parse(fs.readFileSync(path.join(app, 'cdk.json'), 'utf8')).context;
    expect(context['@aws-cdk/aws-lambda:useCdkManagedLogGroup']).toBe(true);
  });

  test('npx cdk synth (type check with tsc, then tsx) succeeds with no AWS credentials', () => {
    expect(synth.output).not.toMatch(/Need to perform AWS calls|Unable to resolve AWS account|context lookup|dummy1/i);
    expect({ status: synth.status, output: synth.status === 0 ? '' : synth.output }).toEqual({ status: 0, output: '' });
    expect(synth.manifest.missing).toBeUndefined();
  });

  test("the README's promises hold under the recommended flags: DEVELOPMENT leaves nothing, every log group expires, PRODUCTION's are encrypted", () => {
    const stacks = templates(app, synth.manifest);
    expect(Object.keys(stacks).sort()).toEqual(['scope-dev', 'scope-prod']);
    expect(brokenPromises(stacks, stack => stack === 'scope-prod')).toEqual([]);
  });

  test('no warning other than the library\'s own documented ones (annotations and CLI output)', () => {
    const warnings = warningAnnotations(app, synth.manifest);
    expect(foreignWarnings(warnings)).toEqual([]);
    expect(cliWarningMismatches(synth.output, warnings)).toEqual([]);
  });
});
