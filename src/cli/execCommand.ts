// `overlay-lab exec LAB HOST -- COMMAND...`: one command on one host, output streamed as it comes.
// The words after `--` are an argument list, quoted as such (use `sh -c '...'` for shell syntax).

import { withCancellation } from './cancellation';
import { EXIT_NOT_AS_ASKED, EXIT_OK, UsageError } from './exitCodes';
import { createPool, loadLabOrExit, requireHost, type SshCliOptions } from './labContext';

export async function execCommand(labFile: string, host: string, argv: string[], options: SshCliOptions): Promise<number> {
  if (argv.length === 0) throw new UsageError('exec needs a command after --');
  const lab = await loadLabOrExit(labFile);
  requireHost(lab, host);
  const pool = createPool(lab, options);
  try {
    const labHost = lab.hosts.find((candidate) => candidate.name === host);
    const result = await withCancellation((signal) => pool.exec(host, argv, {
      collect: false,
      sudo: labHost?.sudo,
      signal,
      onStdout: (chunk) => process.stdout.write(chunk),
      onStderr: (chunk) => process.stderr.write(chunk),
    }));
    if (result.cancelled) {
      process.stderr.write(`${host}: cancelled; the remote command was stopped.\n`);
      return EXIT_NOT_AS_ASKED;
    }
    if (result.code === 0) return EXIT_OK;
    process.stderr.write(`${host}: command exited with ${result.code === null ? `signal ${result.signal ?? 'unknown'}` : `status ${result.code}`}\n`);
    return EXIT_NOT_AS_ASKED;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT_NOT_AS_ASKED;
  } finally {
    pool.dispose();
  }
}
