/**
 * A README section generated from a model, between a start and an end marker (the lifecycle table
 * from matrix.ts, the rollback table from rollback-model.ts): read it, and rewrite it in place.
 */
import * as fs from 'fs';
import * as path from 'path';

const README = path.join(__dirname, '..', '..', 'README.md');

/** The section as it is in `readme`, markers included; undefined without the markers. */
export function readmeSection(readme: string, start: string, end: string): string | undefined {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  return from < 0 || to < from ? undefined : readme.slice(from, to + end.length);
}

/** Replaces the section in README.md with `rendered` (which carries the markers) and says whether it changed. */
export function rewriteReadmeSection(start: string, end: string, rendered: string, what: string): void {
  const readme = fs.readFileSync(README, 'utf8');
  const current = readmeSection(readme, start, end);
  if (current === undefined) throw new Error(`README.md has no ${what} markers: add ${start} and ${end}.`);
  fs.writeFileSync(README, readme.replace(current, rendered));
  console.log(current === rendered ? `README ${what} already current` : `README ${what} rewritten`);
}
