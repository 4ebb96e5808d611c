/**
 * Child process of run.ts: synthesizes apps in a fresh process (its own JIT warm-up and peak
 * memory) and prints one `RESULT {json}` line.
 *
 *   worker.ts synth <rounds> <first>            warm-up, then <rounds> pairs of timed synths of one environment
 *                                               and of the baseline, alternating, <first> (scope|baseline) first
 *   worker.ts scale <n> <rounds>                warm-up, then <rounds> timed synths of <n> environments (keeps the last assembly)
 *   worker.ts assembly                          one app with DEVELOPMENT, PRODUCTION and baseline stacks (kept)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import { BaselineStack } from './baseline';
import { EnvironmentProfile, ScopeEnvironment } from '../src';

export const ENV = { account: '111111111111', region: 'us-east-1' };

/** A stack with one environment, as the README example writes it. */
export function scopeStack(app: App, stackId: string, envId: string, profile: EnvironmentProfile): Stack {
  const stack = new Stack(app, stackId, { env: ENV });
  const zone = `${envId}.scope.example.com`;
  new ScopeEnvironment(stack, envId, { profile, domain: { zoneName: zone } });
  return stack;
}

/** A fresh App writing to its own directory, with the metadata `cdk synth` adds (path metadata, version reporting). */
function newApp(): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'scope-bench-')),
    analyticsReporting: true,
    context: { 'aws:cdk:enable-path-metadata': true },
  });
}

/** Builds and synthesizes one app; returns the wall time (construction + synth) and the assembly directory. */
function timedSynth(build: (app: App) => void): { ms: number; outdir: string } {
  const start = performance.now();
  const app = newApp();
  build(app);
  const assembly = app.synth();
  return { ms: performance.now() - start, outdir: assembly.directory };
}

/** Untimed rounds before measuring: the first synths of a process run cold (module loading, JIT). */
const WARM_UP = 2;

const buildOne = (subject: string) => (app: App) => subject === 'baseline'
  ? new BaselineStack(app, 'Baseline', { env: ENV })
  : scopeStack(app, 'Dev', 'dev', EnvironmentProfile.DEVELOPMENT);

const buildMany = (n: number) => (app: App) => {
  for (let i = 0; i < n; i++) scopeStack(app, `Env${i}`, `env${i}`, EnvironmentProfile.DEVELOPMENT);
};

function rounds(count: number, build: (app: App) => void, keepLast = false): { times: number[]; outdir?: string } {
  const times: number[] = [];
  let outdir: string | undefined;
  for (let i = 0; i < count; i++) {
    const r = timedSynth(build);
    times.push(r.ms);
    if (keepLast && i === count - 1) outdir = r.outdir;
    else fs.rmSync(r.outdir, { recursive: true, force: true });
  }
  return { times, outdir };
}

function main(): void {
  const [command, arg, count] = process.argv.slice(2);
  const rssAtStartKb = Math.round(process.memoryUsage().rss / 1024);
  let result: object;
  if (command === 'synth') {
    // Both subjects share the process, so alternate them (and the first one between workers)
    // after a warm-up of both: neither gets more JIT warm-up or a quieter machine than the other.
    const order = count === 'baseline' ? ['baseline', 'scope'] : ['scope', 'baseline'];
    const times: { [subject: string]: number[] } = { scope: [], baseline: [] };
    for (let i = 0; i < WARM_UP + Number(arg); i++) {
      for (const subject of order) {
        const ms = rounds(1, buildOne(subject)).times[0];
        if (i >= WARM_UP) times[subject].push(ms);
      }
    }
    result = { times };
  } else if (command === 'scale') {
    rounds(WARM_UP, buildOne('scope')); // warm-up with one environment
    result = { n: Number(arg), ...rounds(Number(count), buildMany(Number(arg)), true) };
  } else if (command === 'assembly') {
    result = timedSynth(app => {
      scopeStack(app, 'Dev', 'dev', EnvironmentProfile.DEVELOPMENT);
      scopeStack(app, 'Prod', 'prod', EnvironmentProfile.PRODUCTION);
      new BaselineStack(app, 'Baseline', { env: ENV });
    });
  } else {
    throw new Error(`unknown command ${command}`);
  }
  // maxRSS is in kilobytes on Linux.
  console.log(`RESULT ${JSON.stringify({ ...result, rssAtStartKb, maxRssKb: process.resourceUsage().maxRSS })}`);
}

if (require.main === module) main();
