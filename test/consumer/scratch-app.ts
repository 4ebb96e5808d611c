/**
 * Shared by the two consumer runs (consumer.test.ts: the README's app at the peer minimum;
 * consumer-init.test.ts: what the newest `cdk init` writes, with the newest aws-cdk-lib): the
 * packed library, a clean environment, an offline install into a scratch app, `cdk synth`, and the
 * README's promises checked on the synthesized templates.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Annotation, annotations, formatAnnotation } from '../../example/summary';

export const ROOT = path.join(__dirname, '..', '..');
const TARBALL_DIR = path.join(ROOT, 'dist', 'tarball');
export const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The first ```<lang> block after `marker` in README.md. */
export function readmeBlock(marker: string, lang: string): string {
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

/**
 * dist/tarball/*.tgz, rebuilt with `npx projen package:tarball` when missing or older than the
 * sources. The two consumer files may run at once: one builds (under a lock file), the other waits.
 */
export function tarball(): string {
  const find = () => fs.existsSync(TARBALL_DIR) ? fs.readdirSync(TARBALL_DIR).filter(f => f.endsWith('.tgz')).map(f => path.join(TARBALL_DIR, f)) : [];
  const fresh = () => { const found = find(); return found.length === 1 && fs.statSync(found[0]).mtimeMs >= newestSource(); };
  const lock = path.join(ROOT, 'dist', '.tarball.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 600_000;
  while (!fresh()) {
    let fd: number | undefined;
    try { fd = fs.openSync(lock, 'wx'); } catch { /* another file is building it */ }
    if (fd === undefined) {
      if (Date.now() > deadline) throw new Error(`${lock} held for 10 minutes`);
      execFileSync('sleep', ['2']);
      continue;
    }
    try {
      if (!fresh()) execFileSync('npx', ['projen', 'package:tarball'], { cwd: ROOT, stdio: 'pipe', timeout: 600_000 });
    } finally {
      fs.closeSync(fd);
      fs.rmSync(lock, { force: true });
    }
  }
  return find()[0];
}

/** A clean environment: no AWS_* variables, no ~/.aws, no instance metadata, no npm/CDK chatter. */
export function consumerEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: '1',
  };
}

/** The directory of package `name` as Node would find it from `from` (a package directory). */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Installs package `name` (found from `from`) into `nodeModules` as a hard-linked copy (real
 * files, so Node resolves its dependencies and peers from the app, as after `npm install`), with
 * its dependencies that it does not bundle, flat. `as` renames it (an alias devDependency of this
 * repo such as aws-cdk-lib-newest becomes the app's aws-cdk-lib). Offline and about a second.
 */
export function linkInstall(nodeModules: string, name: string, from: string = ROOT, as: string = name): void {
  const dest = path.join(nodeModules, as);
  if (fs.existsSync(dest)) return;
  const source = findPackage(name, from);
  if (!source) throw new Error(`${name} is not installed in ${from} (npm ci)`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  execFileSync('cp', ['-al', source, dest]);
  const pkg = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  const optional = Object.keys(pkg.optionalDependencies ?? {});
  for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...optional]) {
    if (fs.existsSync(path.join(dest, 'node_modules', dep))) continue; // bundled or nested
    if (optional.includes(dep) && !findPackage(dep, source)) continue; // another platform's binary
    linkInstall(nodeModules, dep, source);
  }
  const bins = typeof pkg.bin === 'string' ? { [as]: pkg.bin } : pkg.bin ?? {};
  for (const [bin, file] of Object.entries<string>(bins)) {
    fs.mkdirSync(path.join(nodeModules, '.bin'), { recursive: true });
    const link = path.join(nodeModules, '.bin', bin);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join('..', as, file), link);
  }
}

/** Unpacks the library's tarball into the app's node_modules and installs its runtime dependencies. */
export function installTarball(app: string, tgz: string): void {
  const dest = path.join(app, 'node_modules', 'cdk-scope-environment');
  fs.mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', dest, '--strip-components=1']);
  const pkg = JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8'));
  for (const dep of Object.keys(pkg.dependencies ?? {})) linkInstall(path.join(app, 'node_modules'), dep);
  for (const [bin, file] of Object.entries<string>(pkg.bin ?? {})) {
    fs.symlinkSync(path.join('..', 'cdk-scope-environment', file), path.join(app, 'node_modules', '.bin', bin));
    fs.chmodSync(path.join(dest, file), 0o755);
  }
}

export interface Synth {
  readonly status: number | null;
  readonly output: string;
  readonly manifest: any;
}

/** `npx cdk synth` in `app` (the CLI's own output kept: its warnings are asserted). */
export function cdkSynth(app: string, env: NodeJS.ProcessEnv): Synth {
  const result = spawnSync('npx', ['cdk', 'synth', '--no-notices', '--quiet'], { cwd: app, env, encoding: 'utf8', timeout: 600_000 });
  const output = `${result.stdout}${result.stderr}`;
  const manifest = result.status === 0 ? JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'manifest.json'), 'utf8')) : undefined;
  return { status: result.status, output, manifest };
}

/** stack name -> template of every stack in the assembly. */
export function templates(app: string, manifest: any): Record<string, any> {
  return Object.fromEntries(Object.entries<any>(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([name, a]) => [name, JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', a.properties.templateFile), 'utf8'))]));
}

/**
 * The README's promises, as `<stack> <logical id> <what is wrong>` lines (empty when kept):
 * DEVELOPMENT leaves nothing behind on `cdk destroy` (no resource that is retained or snapshotted,
 * log groups included); every log group expires (RetentionInDays); in PRODUCTION every log group
 * is encrypted with the environment key (KmsKeyId).
 */
export function brokenPromises(stacks: Record<string, any>, production: (stack: string) => boolean): string[] {
  const broken: string[] = [];
  for (const [stack, template] of Object.entries(stacks)) {
    for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
      const kept = ['Retain', 'RetainExceptOnCreate', 'Snapshot'].includes(resource.DeletionPolicy);
      if (!production(stack) && kept) broken.push(`${stack} ${id} ${resource.Type} DeletionPolicy ${resource.DeletionPolicy}`);
      if (resource.Type !== 'AWS::Logs::LogGroup') continue;
      if (resource.Properties?.RetentionInDays === undefined) broken.push(`${stack} ${id} log group without RetentionInDays`);
      if (production(stack) && resource.Properties?.KmsKeyId === undefined) broken.push(`${stack} ${id} log group without KmsKeyId`);
    }
  }
  return broken;
}

/** Every warning annotation of the stacks of the assembly in `app`/cdk.out. */
export function warningAnnotations(app: string, manifest: any): Annotation[] {
  const outdir = path.join(app, 'cdk.out');
  return Object.values<any>(manifest.artifacts).filter(a => a.type === 'aws:cloudformation:stack')
    .flatMap(artifact => annotations(outdir, artifact)).filter(a => a.level === 'WARNING');
}

/**
 * The library's own warnings (src/private/warnings.ts, each documented in the README): their ids,
 * which the annotation carries as `[ack: <id>]`. Any other warning (a CDK deprecation, a feature
 * flag's warning, a CloudFormation validation warning) fails the consumer runs.
 */
export function libraryWarningIds(): string[] {
  const source = fs.readFileSync(path.join(ROOT, 'src', 'private', 'warnings.ts'), 'utf8');
  return [...source.matchAll(/'(cdk-scope-environment:[a-z-]+)'/g)].map(m => m[1]);
}

/** The warnings of `warnings` that are not one of the library's own, as the CLI prints them. */
export function foreignWarnings(warnings: Annotation[]): string[] {
  const own = libraryWarningIds();
  return warnings.filter(w => !own.includes(w.ack ?? '')).map(w => formatAnnotation(w).join('\n'));
}

/**
 * Checks the CLI's output of `cdk synth` against the assembly's warning annotations: every
 * annotation is printed exactly as example/summary.ts prints it (so `npx projen example` shows what
 * the CLI shows), and no other line speaks of a warning, a W-rule or a deprecation. Returns the
 * mismatches (empty when all is well).
 */
export function cliWarningMismatches(output: string, warnings: Annotation[]): string[] {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map(l => l.trimEnd());
  const expected = warnings.flatMap(formatAnnotation);
  const missing = expected.filter(line => !lines.includes(line)).map(line => `not printed by the CLI: ${line}`);
  const extra = lines.filter(line => !expected.includes(line) && /warn|W\d{4}|deprecat|Acknowledge with/i.test(line)).map(line => `printed by the CLI only: ${line}`);
  return [...missing, ...extra];
}
