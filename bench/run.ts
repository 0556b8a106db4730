// `npm run bench`: builds the test lab, measures the product against OpenSSH doing the same by
// hand, prints the figures side by side and writes them to bench/results/latest.json.
// Usage: npm run bench [-- NAME...]   (names: ssh, state, apply, trace, capture, labtests, browser, scale, language)

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { planLab } from '../src/apply/labPlan';
import { runPlans } from '../src/apply/runPlan';
import { loadLabFile } from '../src/lab/load';
import { canBuildTestLab, demoLabSpec, TestLab } from '../test/lab';
import { labPool, writeDemoLabFile } from '../test/lab/labFiles';
import type { Figure } from './measure';
import { applyBench } from './apply';
import { browserCaptureBench } from './browserCapture';
import { captureBench } from './capture';
import { labTestsBench } from './labTests';
import { languageBench } from './language';
import { scaleStateBench } from './scaleState';
import { sshRoundTrip } from './sshRoundTrip';
import { stateRead } from './stateRead';
import { traceBench } from './trace';

const BENCHMARKS: Record<string, (lab: TestLab) => Promise<Figure[]>> = {
  ssh: sshRoundTrip,
  state: stateRead,
  apply: applyBench,
  trace: traceBench,
  capture: captureBench,
  labtests: labTestsBench,
  // Its own lab and editor (the end-to-end harness): the bench's lab is left as it is.
  browser: () => browserCaptureBench(),
};

/** Benchmarks that build (and tear down) a lab of their own: the demo lab is not built for them. */
const OWN_LAB: Record<string, () => Promise<Figure[]>> = {
  // 128 light hosts, read cold and warm against OpenSSH and `xargs -P 16 ssh`.
  scale: scaleStateBench,
};

/** Benchmarks of pure code, on generated input: no test lab is built for them. */
const WITHOUT_LAB: Record<string, () => Figure[]> = {
  language: languageBench,
};

/** Removes what the demo lab file declares, with the product's own destroy. */
async function resetToBlank(lab: TestLab): Promise<void> {
  await lab.trustHostKeys();
  const { lab: model } = await loadLabFile(writeDemoLabFile(lab, 'bench-reset'));
  if (!model) throw new Error('the demo lab file does not load');
  const pool = labPool(model);
  try {
    await runPlans(pool, (await planLab(pool, model, { mode: 'destroy' })).plans);
  } finally {
    pool.dispose();
  }
}

function print(group: string, figures: Figure[]): void {
  process.stdout.write(`\n${group}\n`);
  for (const figure of figures) {
    const baseline = figure.baseline ? `   vs ${figure.baseline.value} ${figure.unit} for ${figure.baseline.name}: ${figure.ratio}x` : '';
    const goal = figure.goal ? `   (goal: ${figure.goal})` : '';
    process.stdout.write(`  ${figure.name}: ${figure.value} ${figure.unit}${baseline}${goal}\n`);
  }
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const known = [...Object.keys(BENCHMARKS), ...Object.keys(OWN_LAB), ...Object.keys(WITHOUT_LAB)];
  const selected = names.length ? names : known;
  for (const name of selected) if (!known.includes(name)) throw new Error(`unknown benchmark "${name}"; one of: ${known.join(', ')}`);
  const results: Record<string, Figure[]> = {};
  for (const name of selected.filter((n) => WITHOUT_LAB[n])) {
    results[name] = WITHOUT_LAB[name]();
    print(name, results[name]);
  }
  const withLab = selected.filter((n) => BENCHMARKS[n]);
  const spec = demoLabSpec({ prefix: 'olbench' });
  const can = withLab.length ? await canBuildTestLab(spec) : { ok: true as const };
  if (!can.ok) throw new Error(`the benchmarks need the namespace test lab: ${can.reason}`);

  const lab = withLab.length ? await TestLab.up(spec) : undefined;
  try {
    for (const name of withLab) {
      // Each benchmark starts from the blank lab and configures what it needs itself.
      await resetToBlank(lab!);
      results[name] = await BENCHMARKS[name](lab!);
      print(name, results[name]);
    }
  } finally {
    await lab?.down();
  }
  for (const name of selected.filter((n) => OWN_LAB[n])) {
    results[name] = await OWN_LAB[name]();
    print(name, results[name]);
  }
  const folder = join(__dirname, 'results');
  mkdirSync(folder, { recursive: true });
  // A run of some benchmarks keeps the others' last figures.
  const file = join(folder, 'latest.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results?: Record<string, Figure[]> }).results : undefined;
  const report = { date: new Date().toISOString(), machine: `${process.platform} ${process.arch}, ${cpus().length} cores, node ${process.version}`, results: { ...previous, ...results } };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nwritten to ${file}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
