/**
 * `npx projen lifecycle:table`: rewrites README's "What a change does" table (between the markers)
 * from test/lifecycle/matrix.ts, so the table and the tested matrix cannot drift.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readmeTable, renderTable } from './matrix';

const file = path.join(__dirname, '..', '..', 'README.md');
const readme = fs.readFileSync(file, 'utf8');
const current = readmeTable(readme);
if (current === undefined) throw new Error('README.md has no lifecycle-table markers: add the start and end markers of test/lifecycle/matrix.ts.');
fs.writeFileSync(file, readme.replace(current, renderTable()));
console.log(current === renderTable() ? 'README table already current' : 'README table rewritten');
