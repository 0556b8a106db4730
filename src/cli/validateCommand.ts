// `overlay-lab validate LAB`: FILE:LINE:COL diagnostics; exit 0 clean (warnings allowed), 1 with errors.

import { formatDiagnostic, loadLabFile } from '../lab/load';
import { EXIT_NOT_AS_ASKED, EXIT_OK } from './exitCodes';

export async function validateCommand(files: string[]): Promise<number> {
  let status = EXIT_OK;
  for (const file of files) {
    const result = await loadLabFile(file);
    for (const diagnostic of result.diagnostics) process.stdout.write(`${formatDiagnostic(diagnostic)}\n`);
    if (!result.lab) status = EXIT_NOT_AS_ASKED;
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = result.diagnostics.length - errors;
    process.stderr.write(`${file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return status;
}
