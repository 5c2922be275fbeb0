// Bundles the extension with esbuild: src/extension.ts → dist/extension.js (vscode stays
// external). With --tests, compiles test/*.test.ts → out/test/*.test.js for `node --test`.
// Flags: --production (minified, no source map), --watch, --tests.

import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  logLevel: 'warning',
};

const options = args.has('--tests')
  ? {
      ...common,
      entryPoints: readdirSync(join(root, 'test'))
        .filter(f => f.endsWith('.test.ts'))
        .map(f => join('test', f)),
      outdir: 'out/test',
      // The unit tests cover modules without the `vscode` import; this keeps it that way.
      external: [],
      sourcemap: 'inline',
    }
  : {
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
      minify: production,
      sourcemap: production ? false : 'linked',
    };

if (args.has('--watch')) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('esbuild: watching for changes');
} else {
  await esbuild.build(options);
}
