// Bundles the extension host code (Node, CommonJS), the CLI, and the webview code (browser, IIFE).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { coreBoundaryViolations } from './coreBoundary.mjs';

// The core never imports the editor (tsconfig.core.json): a build that would break that fails.
const { violations } = coreBoundaryViolations(fileURLToPath(new URL('..', import.meta.url)));
if (violations.length) {
  for (const violation of violations) console.error(`core boundary: ${violation}`);
  process.exit(1);
}

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
mkdirSync('dist', { recursive: true });
// The webview's icon font, beside its stylesheet (the topology panel loads both from dist/codicons).
mkdirSync('dist/codicons', { recursive: true });
for (const name of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${name}`, `dist/codicons/${name}`);

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', external: ['cpu-features', './crypto/build/Release/sshcrypto.node'] },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
