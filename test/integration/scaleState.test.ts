// Reading 128 light hosts (sshd at its defaults, no OVS) at once with the product: every host is
// read, and is the host it should be; the connects seen by the connector never outnumber the
// pool's bound; and no sshd logged MaxStartups throttling or a dropped connection.

import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { readLabState } from '../../src/hosts/readLabState';
import { loadLabFile } from '../../src/lab/load';
import type { Lab } from '../../src/lab/types';
import { SshConnection } from '../../src/ssh/connection';
import { EndpointTable } from '../../src/ssh/endpoints';
import { DEFAULT_PARALLEL_CONNECTS, SshPool } from '../../src/ssh/pool';
import { scaleLabSpec, TestLab } from '../lab';
import { MAX_STARTUPS_LINE, noSshConfig, requireRoot, writeScaleLabFile } from '../lab/labFiles';

const HOSTS = 128;

describe('128 light hosts read at once', function () {
  this.timeout(60_000);
  let lab: TestLab | undefined;
  let model: Lab;
  let pool: SshPool | undefined;

  before(async function () {
    requireRoot(this);
    lab = await TestLab.up(scaleLabSpec(HOSTS, { prefix: 'olisc', mgmtSubnet: '10.213.93.1/24' }), { trustHostKeys: true });
    const loaded = await loadLabFile(writeScaleLabFile(lab, 'scale'));
    assert.ok(loaded.lab, loaded.diagnostics.map((d) => d.message).join('\n'));
    model = loaded.lab;
  });
  after(async () => {
    pool?.dispose();
    if (!lab) return;
    await lab.down();
    const left = await TestLab.status(lab.prefix);
    assert.deepEqual({ namespaces: left.namespaces, links: left.links, workDirs: left.workDirs }, { namespaces: [], links: [], workDirs: [] });
  });

  it('reads every host, with never more connects at once than the bound, and no sshd throttles', async () => {
    let connecting = 0;
    let mostAtOnce = 0;
    let connects = 0;
    pool = new SshPool(new EndpointTable(model, noSshConfig()), {
      reconnect: false,
      // The real connect, counted from outside the pool's limiter.
      connector: async (endpoint, options) => {
        connects++;
        connecting++;
        mostAtOnce = Math.max(mostAtOnce, connecting);
        try {
          return await SshConnection.open(endpoint, options);
        } finally {
          connecting--;
        }
      },
    });
    const answered: string[] = [];
    const state = await readLabState(pool, model, { onHost: (reading) => answered.push(reading.ok ? reading.state.host : reading.failure.host) });

    const failed = Object.values(state.hosts).flatMap((r) => (r.ok ? [] : [r.failure.message]));
    assert.deepEqual(failed, [], `${failed.length} hosts not read`);
    assert.equal(Object.keys(state.hosts).length, HOSTS);
    assert.equal(answered.length, HOSTS);
    // Each reading came from the host it is filed under (each namespace has its own hostname).
    const wrong = Object.entries(state.hosts).filter(([name, r]) => !r.ok || r.state.system.hostname !== name);
    assert.deepEqual(wrong.map(([name]) => name), []);

    assert.equal(connects, HOSTS, 'one connection per host');
    assert.ok(mostAtOnce <= DEFAULT_PARALLEL_CONNECTS, `${mostAtOnce} connects ran at once; the bound is ${DEFAULT_PARALLEL_CONNECTS}`);
    // With 128 hosts asked for at once the bound is reached, so the check above checked something.
    assert.equal(mostAtOnce, DEFAULT_PARALLEL_CONNECTS);
    assert.equal(pool.connectStats().peak, DEFAULT_PARALLEL_CONNECTS);

    const throttled: string[] = [];
    for (const host of lab!.hosts()) {
      const log = await readFile(lab!.sshdLogPath(host.name), 'utf8');
      assert.match(log, /Accepted publickey for root/, `${host.name}'s sshd log shows no login: is it the right log?`);
      for (const line of log.split('\n')) if (MAX_STARTUPS_LINE.test(line)) throttled.push(`${host.name}: ${line}`);
    }
    assert.deepEqual(throttled, []);
  });
});
