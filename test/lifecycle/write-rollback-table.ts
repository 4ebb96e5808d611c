/**
 * `npx ts-node test/lifecycle/write-rollback-table.ts`: rewrites README's "What a failed first
 * deploy and a destroy leave behind" table (between the markers) from the rollback model.
 */
import { rewriteReadmeSection } from './readme-section';
import { modelledEnvironments, renderRollbackTable, ROLLBACK_TABLE_END, ROLLBACK_TABLE_START } from './rollback-table';

rewriteReadmeSection(ROLLBACK_TABLE_START, ROLLBACK_TABLE_END, renderRollbackTable(modelledEnvironments()), 'rollback table');
