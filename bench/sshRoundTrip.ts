// Issue 2's figure: an `exec true` round trip on a pooled connection against `ssh host true`
// with OpenSSH, to the same test-lab host; and the cold connect time of both.

import { loadLabFile } from '../src/lab/load';
import { EndpointTable } from '../src/ssh/endpoints';
import { SshPool } from '../src/ssh/pool';
import type { TestLab } from '../test/lab';
import { noSshConfig, writeDemoLabFile } from '../test/lab/labFiles';
import { compared, type Figure, median, runProgram, timeRuns } from './measure';

const RUNS = 50;
const COLD_RUNS = 10;

export async function sshRoundTrip(lab: TestLab): Promise<Figure[]> {
  await lab.trustHostKeys(); // both sides check host keys strictly against the same known_hosts
  const file = writeDemoLabFile(lab, 'bench-ssh', (doc) => doc.setIn(['defaults', 'ssh', 'strictHostKeyChecking'], 'yes'));
  const { lab: model } = await loadLabFile(file);
  if (!model) throw new Error(`${file} does not load`);
  const config = noSshConfig();
  const newPool = () => new SshPool(new EndpointTable(model, config));
  const openssh = (host: string) => runProgram(['ssh', ...lab.sshArgs(host), 'true']);

  const figures: Figure[] = [];
  for (const host of ['ovs-a', 'test-a']) {
    const via = host === 'test-a' ? ' (through jump host ovs-a)' : '';
    const pool = newPool();
    await pool.exec(host, ['true']);
    const warm = median(await timeRuns(RUNS, () => pool.exec(host, ['true'])));
    pool.dispose();
    const sshTimes = median(await timeRuns(RUNS, () => openssh(host)));
    figures.push(compared(`exec true on a pooled connection, ${host}${via}, median of ${RUNS}`, warm, 'ms', 'ssh host true (OpenSSH)', sshTimes, host === 'ovs-a' ? 'at least 20 times faster' : undefined));

    const cold = median(
      await timeRuns(COLD_RUNS, async () => {
        const fresh = newPool();
        await fresh.exec(host, ['true']);
        fresh.dispose();
      }),
    );
    figures.push(compared(`cold connect + exec true, ${host}${via}, median of ${COLD_RUNS}`, cold, 'ms', 'ssh host true (OpenSSH)', sshTimes));
  }
  return figures;
}
