/**
 * Tests never rewrite the tree in CI: with CI=true the `test` task (.projen/tasks.json, generated
 * from .projenrc.ts) runs jest with --ci and eslint without --fix; outside CI it updates snapshots
 * and fixes lint. The step conditions are run exactly as projen runs them (a shell command whose
 * exit code 0 means "run the step").
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks;

/** The commands the task would run with `CI` set to `ci` (undefined: unset), spawned tasks expanded. */
function commands(name: string, ci: string | undefined): string[] {
  const env = { ...process.env };
  delete env.CI;
  if (ci !== undefined) env.CI = ci;
  const out: string[] = [];
  for (const step of tasks[name].steps ?? []) {
    if (step.condition && spawnSync('sh', ['-c', step.condition], { env }).status !== 0) continue;
    if (step.spawn) out.push(`spawn ${step.spawn}`, ...commands(step.spawn, ci));
    else out.push(step.exec ?? step.execArgs.join(' '));
  }
  return out;
}

describe('test task and CI', () => {
  test.each(['true', '1'])('CI=%s: jest --ci, eslint without --fix, the tarball and integ snapshots checked', (ci) => {
    const run = commands('test', ci);
    expect(run).toContainEqual(expect.stringMatching(/^jest --passWithNoTests --ci /));
    expect(run).toContain('spawn eslint:check');
    expect(run).toContain('spawn package:tarball');
    expect(run).toContain('spawn integ:verify');
    expect(run.filter(c => /--updateSnapshot|-u\b|--fix|--update-on-failed/.test(c))).toEqual([]);
    expect(run.filter(c => c.startsWith('eslint'))).toEqual([expect.stringMatching(/^eslint --ext \.ts,\.tsx --no-error-on-unmatched-pattern/)]);
  });

  test.each([undefined, 'false', ''])('CI=%s (a developer machine): snapshots updated, lint fixed', (ci) => {
    const run = commands('test', ci);
    expect(run).toContainEqual(expect.stringMatching(/^jest --passWithNoTests --updateSnapshot /));
    expect(run).not.toContainEqual(expect.stringMatching(/^jest --passWithNoTests --ci/));
    expect(run).toContain('spawn eslint');
    expect(run.filter(c => c.startsWith('eslint'))).toEqual([expect.stringContaining('--fix')]);
  });

  test('the package does not ship the CI script', () => {
    expect(fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf8').split('\n')).toContain('/.ci/');
  });
});
