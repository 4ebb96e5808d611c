/**
 * `npx projen lifecycle:table`: rewrites README's "What a change does" table (between the markers)
 * from test/lifecycle/matrix.ts, so the table and the tested matrix cannot drift.
 */
import { renderTable, TABLE_END, TABLE_START } from './matrix';
import { rewriteReadmeSection } from './readme-section';

rewriteReadmeSection(TABLE_START, TABLE_END, renderTable(), 'lifecycle table');
