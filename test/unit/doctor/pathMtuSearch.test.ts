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

  it('finds a silent bottleneck exactly by bisection, within the probe limit', async () => {
    const p = path(1400);
    const result = await searchPathMtu({ wanted: 1550, knownGood: 84, probe: p.probe });
    assert.deepEqual({ ...result, probes: undefined }, { largestPassed: 1400, smallestFailed: 1401, probes: undefined });
    assert.ok(result!.probes <= MAX_SIZE_PROBES, `${result!.probes} probes`);
  });

  it('stops at the probe limit with the range it has', async () => {
    const p = path(1000);
    const result = await searchPathMtu({ wanted: 1500, knownGood: 84, probe: p.probe, maxProbes: 3 });
    assert.equal(result?.probes, 3);
    assert.equal(p.tried.length, 3);
    assert.ok(result!.largestPassed <= 1000 && result!.smallestFailed! > 1000);
  });

  it('gives up without a result when the first probe cannot run', async () => {
    assert.equal(await searchPathMtu({ wanted: 1500, knownGood: 84, probe: async () => ({ passed: false, error: 'no ping' }) }), undefined);
  });
});
