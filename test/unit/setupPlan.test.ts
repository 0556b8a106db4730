// What `npm run demo` and `npm test` do first on a machine, decided from what is missing.

import { strict as assert } from 'node:assert';
import { LAB_PACKAGES, nodeModulesState, packagesFor, planSetup } from '../../scripts/setupPlan.mjs';

const LOCK = {
  packages: {
    '': { name: 'overlay-lab' },
    'node_modules/ssh2': { version: '1.17.0' },
    'node_modules/@esbuild/darwin-arm64': { version: '0.28.2', optional: true },
    'node_modules/yaml': { version: '2.9.1', dev: true },
  },
};

function facts(overrides: Partial<Parameters<typeof planSetup>[0]> = {}): Parameters<typeof planSetup>[0] {
  return {
    purpose: 'test',
    platform: 'linux',
    root: true,
    hasApt: true,
    missingPackages: [],
    missingTools: [],
    nodeModules: { state: 'ok' },
    ...overrides,
  };
}

describe('setup before demo and test (scripts/setupPlan.mjs)', () => {
  it('on a fresh Debian machine as root: apt-get the missing packages, then npm ci, then code-server', () => {
    const steps = planSetup(facts({ missingPackages: ['openvswitch-switch', 'tcpdump'], nodeModules: { state: 'missing', why: 'node_modules is not installed' } }));
    assert.deepEqual(
      steps.map((step) => step.kind),
      ['apt', 'npm-ci', 'code-server'],
    );
    assert.deepEqual(steps[0], {
      kind: 'apt',
      packages: ['openvswitch-switch', 'tcpdump'],
      command: 'apt-get update && apt-get install -y --no-install-recommends openvswitch-switch tcpdump',
    });
  });

  it('with everything there: only code-server (a no-op when its cache holds it)', () => {
    assert.deepEqual(planSetup(facts()), [{ kind: 'code-server' }]);
  });

  it('not root, packages missing: the one command to run, and nothing else', () => {
    const steps = planSetup(facts({ root: false, missingPackages: ['nftables'] }));
    assert.deepEqual(steps, [
      { kind: 'tell', command: "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends nftables'", why: 'these packages are missing: nftables' },
    ]);
  });

  it('not root for the demo: sudo npm run demo; not root for the tests: npm ci and what runs without root', () => {
    assert.deepEqual(planSetup(facts({ root: false, purpose: 'demo' })), [
      { kind: 'tell', command: 'sudo npm run demo', why: 'the demo builds its hosts in network namespaces, which needs root' },
    ]);
    assert.deepEqual(planSetup(facts({ root: false, nodeModules: { state: 'stale', why: 'ssh2 is 1.16.0, the lock wants 1.17.0' } })), [
      { kind: 'npm-ci', why: 'ssh2 is 1.16.0, the lock wants 1.17.0' },
    ]);
  });

  it('without dpkg: names the missing commands; not Linux: stops with why', () => {
    const steps = planSetup(facts({ missingPackages: undefined, missingTools: ['ovs-vsctl', 'nft'] }));
    assert.equal(steps.length, 1);
    assert.equal(steps[0].kind, 'tell');
    assert.match((steps[0] as { why: string }).why, /no dpkg.*ovs-vsctl nft/);
    assert.deepEqual(planSetup(facts({ platform: 'darwin' })).map((step) => step.kind), ['stop']);
  });

  it('asks the demo for the lab and code-server’s build packages, the tests for Chromium too', () => {
    assert.ok(LAB_PACKAGES.every((name) => packagesFor('demo').includes(name)));
    assert.ok(LAB_PACKAGES.includes('sudo'), 'the lab’s unprivileged logins need sudo');
    assert.ok(!packagesFor('demo').includes('chromium'));
    assert.ok(packagesFor('test').includes('chromium') && packagesFor('ci').includes('chromium'));
    assert.ok(packagesFor('test').includes('tshark') && !packagesFor('demo').includes('tshark'));
  });

  describe('node_modules against package-lock.json', () => {
    it('is missing without npm’s record of what it installed', () => {
      assert.deepEqual(nodeModulesState(LOCK, undefined), { state: 'missing', why: 'node_modules is not installed' });
    });
    it('is current when every package is there at its version, optional ones for other platforms aside', () => {
      const installed = { packages: { 'node_modules/ssh2': { version: '1.17.0' }, 'node_modules/yaml': { version: '2.9.1' } } };
      assert.deepEqual(nodeModulesState(LOCK, installed), { state: 'ok' });
    });
    it('is stale when a package is at another version, or not there', () => {
      assert.deepEqual(nodeModulesState(LOCK, { packages: { 'node_modules/ssh2': { version: '1.16.0' }, 'node_modules/yaml': { version: '2.9.1' } } }), {
        state: 'stale',
        why: 'ssh2 is 1.16.0, the lock wants 1.17.0',
      });
      assert.deepEqual(nodeModulesState(LOCK, { packages: { 'node_modules/ssh2': { version: '1.17.0' } } }), { state: 'stale', why: 'yaml is not installed' });
    });
    it('matches this checkout’s own node_modules', async () => {
      const { readFileSync } = await import('node:fs');
      const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
      assert.deepEqual(nodeModulesState(read('package-lock.json'), read('node_modules/.package-lock.json')), { state: 'ok' });
    });
  });
});
