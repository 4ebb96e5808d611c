import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { criticalPath } from './critical-path';
import { readAssembly } from './template';
const ROOT = path.join(__dirname, '..');
const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'worker.ts'), 'assembly'], {
  cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json') }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
const line = r.stdout.split('\n').find(l => l.startsWith('RESULT '));
if (!line) { console.error(r.stderr); process.exit(1); }
const outdir = JSON.parse(line.slice(7)).outdir;
for (const s of readAssembly(outdir)) {
  const cp = criticalPath(s.template);
  console.log(`${s.name}: ${cp.minutes.toFixed(2)} min`);
  if (process.argv[2]) for (const st of cp.path) console.log(`  ${st.logicalId} ${st.type} ${st.minutes} @${st.doneAt.toFixed(2)} ${st.reason}`);
  console.log('  stateful:', cp.stateful.map(x => `${x.type.split('::').pop()}@${x.doneAt.toFixed(2)}`).join(' '));
}
fs.rmSync(outdir, { recursive: true, force: true });
