// The core/adapter line is checked by the build (scripts/coreBoundary.mjs): this keeps the
// check itself honest, on the real tree and on a small tree that crosses the line.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

async function boundary(): Promise<typeof import('../../scripts/coreBoundary.mjs')> {
  return import('../../scripts/coreBoundary.mjs');
}

describe('the core boundary check', function () {
  this.timeout(30_000);

  it('finds no core file importing the editor, and counts every core folder, no adapter', async () => {
    const { coreBoundaryViolations, coreProject } = await boundary();
    assert.deepEqual(coreBoundaryViolations(ROOT).violations, []);
    const folders = new Set(coreProject(ROOT).files.map((file) => relative(join(ROOT, 'src'), file).split(/[\\/]/)[0]));
    for (const core of ['lab', 'ssh', 'hosts', 'apply', 'capture', 'trace', 'doctor', 'scripts', 'session', 'cli', 'util']) assert.ok(folders.has(core), `src/${core}/ is checked`);
    for (const adapter of ['views', 'commands', 'webview', 'extension.ts']) assert.ok(!folders.has(adapter), `src/${adapter} is not core`);
  });

  it('names each core file that imports vscode or an adapter (in a folder nobody listed too), and each adapter that imports the CLI', async () => {
    const { coreBoundaryViolations } = await boundary();
    const tree = mkdtempSync(join(tmpdir(), 'overlay-lab-boundary-'));
    try {
      for (const name of ['tsconfig.json', 'tsconfig.core.json']) copyFileSync(join(ROOT, name), join(tree, name));
      symlinkSync(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
      const files: Record<string, string> = {
        'src/compare/leak.ts': "import type { Uri } from 'vscode';\nexport type At = Uri;\n",
        'src/lab/reachesView.ts': "import { item } from '../views/item';\nexport const x = item;\n",
        'src/hosts/requires.ts': "const editor = require('vscode');\nexport default editor;\n",
        'src/util/fine.ts': "import { join } from 'node:path';\nexport const y = join('a', 'b');\n",
        'src/views/item.ts': "import * as vscode from 'vscode';\nexport const item = vscode.TreeItem;\n",
        'src/commands/run.ts': "import * as vscode from 'vscode';\nexport const run = vscode.commands;\n",
        'src/commands/words.ts': "import { text } from '../cli/text';\nexport const words = text;\n",
        'src/cli/text.ts': "export const text = 'plan';\n",
        'src/extension.ts': "import * as vscode from 'vscode';\nexport const w = vscode.window;\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(tree, path)), { recursive: true });
        writeFileSync(join(tree, path), text);
      }
      const { files: count, violations } = coreBoundaryViolations(tree);
      assert.equal(count, 5, 'cli/, compare/, lab/, hosts/ and util/ are core; views/, commands/ and extension.ts are not');
      assert.deepEqual(violations.sort(), [
        "src/commands/words.ts imports '../cli/text' (src/cli/text.ts): the editor reads the core, not the CLI",
        "src/compare/leak.ts imports 'vscode': the core never depends on the editor",
        "src/hosts/requires.ts imports 'vscode': the core never depends on the editor",
        "src/lab/reachesView.ts imports '../views/item' (src/views/item.ts): the core never depends on the editor",
      ]);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });
});
