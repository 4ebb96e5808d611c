/**
 * `npx ts-node test/lifecycle/write-rollback-table.ts`: rewrites README's "What a failed first
 * deploy and a destroy leave behind" table (between the markers) from the rollback model.
 */
import * as fs from 'fs';
import * as path from 'path';
import { modelledEnvironments, readmeRollbackTable, renderRollbackTable } from './rollback-table';

const file = path.join(__dirname, '..', '..', 'README.md');
const readme = fs.readFileSync(file, 'utf8');
const current = readmeRollbackTable(readme);
if (current === undefined) throw new Error('README.md has no rollback-table markers: add the start and end markers of test/lifecycle/rollback-table.ts.');
const table = renderRollbackTable(modelledEnvironments());
fs.writeFileSync(file, readme.replace(current, table));
console.log(current === table ? 'README table already current' : 'README table rewritten');
