import { strict as assert } from 'node:assert';
import type { SizeProbeResult } from '../../../src/doctor/measure/ping';
import { MAX_SIZE_PROBES, searchPathMtu } from '../../../src/doctor/measure/pathMtuSearch';

/** A path that carries `mtu`; `local` is the sending host's own device MTU, which it names when refusing. */
function path(mtu: number, options: { local?: number; router?: number } = {}) {
  const tried: number[] = [];
  const probe = async (size: number): Promise<SizeProbeResult> => {
    tried.push(size);
    if (options.local !== undefined && size > options.local) return { passed: false, reportedMtu: { mtu: options.local, by: 'local' } };
    if (options.router !== undefined && size > options.router) return { passed: false, reportedMtu: { mtu: options.router, by: 'router' } };
    return size <= mtu ? { passed: true } : { passed: false };
  };
  return { tried, probe };
}

describe('doctor: path MTU search', () => {
  it('needs one probe when the size the overlay needs crosses', async () => {
    const p = path(1500);
    assert.deepEqual(await searchPathMtu({ wanted: 1500, knownGood: 84, probe: p.probe }), { largestPassed: 1500, probes: 1 });
    assert.deepEqual(p.tried, [1500]);
  });

  it('jumps to an MTU the local kernel names, and confirms the size above it fails', async () => {
    const p = path(1400, { local: 1400 });
    assert.deepEqual(await searchPathMtu({ wanted: 1550, knownGood: 84, probe: p.probe }), {
      largestPassed: 1400,
      smallestFailed: 1401,
      reportedMtu: { mtu: 1400, by: 'local' },
      probes: 3,
    });
    assert.deepEqual(p.tried, [1550, 1400, 1401]);
  });

  it('jumps to an MTU a router names', async () => {
    const p = path(1380, { router: 1380 });
    const result = await searchPathMtu({ wanted: 1500, knownGood: 84, probe: p.probe });
    assert.equal(result?.largestPassed, 1380);
    assert.equal(result?.smallestFailed, 1381);
    assert.equal(result?.probes, 3);
  });

  it('finds a silent bottleneck exactly, trying 1280 first, with few dropped probes', async () => {
    const p = path(1404);
    const result = await searchPathMtu({ wanted: 1500, knownGood: 84, probe: p.probe });
    assert.deepEqual(result, { largestPassed: 1404, smallestFailed: 1405, probes: 12 });
    assert.deepEqual(p.tried.slice(0, 2), [1500, 1280]);
    const dropped = p.tried.filter((size) => size > 1404);
    assert.ok(dropped.length <= 4, `dropped ${dropped.join(', ')}`);
  });

  it('settles any silent bottleneck between 1280 and 1500 exactly within the probe limit', async () => {
    for (let mtu = 1280; mtu < 1500; mtu += 1) {
      const p = path(mtu);
      const result = await searchPathMtu({ wanted: 1500, knownGood: 84, probe: p.probe });
      assert.deepEqual([result?.largestPassed, result?.smallestFailed], [mtu, mtu + 1], `path ${mtu}: ${JSON.stringify(result)}`);
      assert.ok(result!.probes <= MAX_SIZE_PROBES);
      assert.ok(p.tried.filter((size) => size > mtu).length <= 5, `path ${mtu}: dropped ${p.tried.filter((size) => size > mtu).join(', ')}`);
    }
  });

  it('bisects below 1280 too, and reports the range it reached at the probe limit', async () => {
    const p = path(1000);
    const result = await searchPathMtu({ wanted: 1500, knownGood: 84, probe: p.probe });
    assert.equal(p.tried.length, MAX_SIZE_PROBES);
    assert.ok(result!.largestPassed <= 1000 && result!.smallestFailed! > 1000 && result!.smallestFailed! - result!.largestPassed <= 4, JSON.stringify(result));
  });

  it('stops at the probe limit with the range it has', async () => {
    const p = path(1000);
    const result = await searchPathMtu({ wanted: 1500, knownGood: 84, probe: p.probe, maxProbes: 3 });
    assert.equal(result?.probes, 3);
    assert.equal(p.tried.length, 3);
    assert.ok(result!.largestPassed <= 1000 && result!.smallestFailed! > 1000);
  });

  it('keeps what it learnt when a later probe cannot run', async () => {
    let n = 0;
    const result = await searchPathMtu({ wanted: 1500, knownGood: 84, probe: async () => (++n === 1 ? { passed: false } : { passed: false, error: 'cancelled' }) });
    assert.deepEqual(result, { largestPassed: 84, smallestFailed: 1500, probes: 1 });
  });

  it('gives up without a result when the first probe cannot run', async () => {
    assert.equal(await searchPathMtu({ wanted: 1500, knownGood: 84, probe: async () => ({ passed: false, error: 'no ping' }) }), undefined);
  });
});
