/**
 * The shape rules of the library (DESIGN.md "Layout"): a file is one job (at most 400 lines), no
 * function or constructor is over 60 lines, and no part looks up another part's children by
 * construct id. Measured with the TypeScript compiler's own parser, so a comment or a string that
 * looks like code does not count.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', '..', 'src');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every function-like node of a file with its name and length in lines. */
function functions(file: string): Array<{ name: string; lines: number }> {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Array<{ name: string; lines: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = ts.isConstructorDeclaration(node) ? 'constructor' : (node as ts.FunctionLikeDeclaration).name?.getText(sf) ?? '(anonymous)';
      out.push({ name: `${path.relative(SRC, file)}:${start + 1} ${name}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const files = sourceFiles(SRC);

test('the measure sees the source tree', () => {
  expect(files.length).toBeGreaterThan(20);
  expect(functions(path.join(SRC, 'environment', 'scope-environment.ts')).some(f => f.name.endsWith('constructor'))).toBe(true);
});

test(`no file under src/ is over ${MAX_FILE_LINES} lines`, () => {
  const long = files
    .map(f => ({ file: path.relative(SRC, f), lines: fs.readFileSync(f, 'utf8').split('\n').length }))
    .filter(f => f.lines > MAX_FILE_LINES);
  expect(long).toEqual([]);
});

test(`no function or constructor under src/ is over ${MAX_FUNCTION_LINES} lines`, () => {
  const long = files.flatMap(functions).filter(f => f.lines > MAX_FUNCTION_LINES);
  expect(long).toEqual([]);
});

test('no part finds another construct by id (tryFindChild)', () => {
  const users = files.filter(f => /\btryFindChild\s*\(/.test(fs.readFileSync(f, 'utf8'))).map(f => path.relative(SRC, f));
  expect(users).toEqual([]);
});
