import * as fs from 'fs';
import * as path from 'path';

/**
 * The version in the package.json of the installed package, for a bundled CLI's `--version`: the
 * bundles live three levels below the package root (`assets/<part>/<cli>/index.js`). `unknown`
 * outside the package (e.g. a bundle copied next to a cloud assembly).
 */
export function packageVersion(bundleDir: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(bundleDir, '..', '..', '..', 'package.json'), 'utf8'));
    if (pkg.name === 'cdk-scope-environment' && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // not inside the package
  }
  return 'unknown';
}
