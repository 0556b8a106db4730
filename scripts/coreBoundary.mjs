// The one line never crossed: the core (tsconfig.core.json) does not import `vscode`, nor the
// editor's adapters that do (views/, commands/, webview/, extension.ts). Every import of every
// core file is resolved as the compiler resolves it, type-only imports and require() included;
// any that lands in @types/vscode or an adapter is a violation. The adapters in turn read the
// core, never the CLI's own files (src/cli/): what both faces show lives in the core.
// `npm run build` and `npm run typecheck` fail on a violation.
//
// Usage: node scripts/coreBoundary.mjs [root]

import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ADAPTERS = [/^src\/views\//, /^src\/commands\//, /^src\/webview\//, /^src\/extension\.ts$/];

/** The files of the core, as tsconfig.core.json selects them under `root`, and its compiler options. */
export function coreProject(root) {
  const configFile = join(root, 'tsconfig.core.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  return { files: parsed.fileNames, options: parsed.options };
}

/** Each import of a core file that reaches the editor: "src/x.ts imports 'vscode'". */
export function coreBoundaryViolations(root) {
  const { files, options } = coreProject(root);
  const violations = [];
  const repoPath = (path) => relative(root, path).split(sep).join('/');
  for (const file of files) {
    const from = repoPath(file);
    if (ADAPTERS.some((pattern) => pattern.test(from))) {
      violations.push(`${from} is an adapter but tsconfig.core.json includes it`);
      continue;
    }
    const { importedFiles } = ts.preProcessFile(ts.sys.readFile(file) ?? '', true, true);
    for (const { fileName: specifier } of importedFiles) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      const target = resolved ? repoPath(resolved.resolvedFileName) : undefined;
      const reachesEditor = specifier === 'vscode' || (target !== undefined && (target.includes('node_modules/@types/vscode/') || ADAPTERS.some((pattern) => pattern.test(target))));
      if (reachesEditor) violations.push(`${from} imports '${specifier}'${target && specifier !== 'vscode' ? ` (${target})` : ''}: the core never depends on the editor`);
    }
  }
  for (const file of adapterFiles(root)) {
    const from = repoPath(file);
    const { importedFiles } = ts.preProcessFile(ts.sys.readFile(file) ?? '', true, true);
    for (const { fileName: specifier } of importedFiles) {
      const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
      const target = resolved ? repoPath(resolved.resolvedFileName) : undefined;
      if (target?.startsWith('src/cli/')) violations.push(`${from} imports '${specifier}' (${target}): the editor reads the core, not the CLI`);
    }
  }
  return { files: files.length, violations };
}

/** The editor's own files under `root`. */
function adapterFiles(root) {
  return ts.sys
    .readDirectory(join(root, 'src'), ['.ts'], undefined, ['**/*'])
    .filter((file) => ADAPTERS.some((pattern) => pattern.test(relative(root, file).split(sep).join('/'))));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
  const { files, violations } = coreBoundaryViolations(root);
  if (violations.length) {
    for (const violation of violations) process.stderr.write(`core boundary: ${violation}\n`);
    process.exitCode = 1;
  } else if (files === 0) {
    process.stderr.write('core boundary: tsconfig.core.json selects no file\n');
    process.exitCode = 1;
  }
}
