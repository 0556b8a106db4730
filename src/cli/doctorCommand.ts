// `overlay-lab doctor LAB [--json]`: overlay checks across the lab's hosts (src/doctor/), the
// same core the editor runs. Exit 0 when nothing is an error, 1 otherwise (cli.md); Ctrl-C
// ends the pings on the hosts and prints what was found so far.

import { renderDoctorText } from '../doctor/doctorText';
import { hasErrors } from '../doctor/runChecks';
import { runDoctor } from '../doctor/runDoctor';
import type { DoctorReport } from '../doctor/types';
import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK } from './exitCodes';
import { createPool, loadLabOrExit, type SshCliOptions } from './labContext';

export interface DoctorCliOptions extends SshCliOptions {
  json?: boolean;
}

export async function doctorCommand(labFile: string, options: DoctorCliOptions): Promise<number> {
  const lab = await loadLabOrExit(labFile);
  const pool = createPool(lab, options);
  try {
    const run = await withCancellation((signal) => runDoctor(pool, lab, { signal }));
    const report: DoctorReport = { findings: run.findings, hosts: run.hosts };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorText(lab, report, run.timings.total));
    return hasErrors(report.findings) ? EXIT_NOT_AS_ASKED : EXIT_OK;
  } finally {
    pool.dispose();
  }
}
