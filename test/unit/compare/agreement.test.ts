// Drift and plan are two readings of one comparison, so they agree: on every recorded host state
// and on each field the comparison knows changed one at a time, on the host and in the file, the
// plan is empty exactly when there is no drift, and the plan's steps, applied to a model of the
// host (hostModel.ts), leave no drift and nothing more to plan.

import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { planHost, planIsEmpty, type HostPlan } from '../../../src/apply/plan';
import { compareHost } from '../../../src/compare/compareHost';
import { desiredHost } from '../../../src/compare/desired';
import { driftOf } from '../../../src/compare/drift';
import type { DriftItem, HostState } from '../../../src/hosts/types';
import { resolveLab } from '../../../src/lab/resolve';
import type { Lab } from '../../../src/lab/types';
import { shellCommand } from '../../../src/util/shell';
import { copy, demoLab, HOST_FIXTURES, hostOf, loadCleanLab, recordedState } from '../hosts/fixtures';
import { applySteps } from './hostModel';

const LINUX_LAB = (tunnel: string, testB = tunnel.replace('test-b', 'test-a')) =>
  [
    'version: 1',
    'name: linux-overlay',
    'hosts:',
    '  test-a:',
    '    ssh: { host: 10.213.1.2 }',
    '    interfaces:',
    '      eth2: { address: 10.213.50.11/24, underlay: true }',
    '    bridges:',
    '      br1:',
    '        kind: linux',
    '        address: 10.213.60.11/24',
    '        ports:',
    `          - ${tunnel}`,
    '  test-b:',
    '    ssh: { host: 10.213.2.2 }',
    '    interfaces:',
    '      eth2: { address: 10.213.50.12/24, underlay: true }',
    '    bridges:',
    '      br1:',
    '        kind: linux',
    '        address: 10.213.60.12/24',
    '        ports:',
    `          - ${testB}`,
    '',
  ].join('\n');

function analyse(lab: Lab, host: string, state: HostState): { drift: DriftItem[]; plan: HostPlan } {
  const desired = desiredHost(lab, host);
  const comparison = compareHost(desired, state);
  return { drift: driftOf(comparison), plan: planHost(desired, state, comparison) };
}

const lines = (drift: DriftItem[]) => drift.map((d) => `${d.status} ${d.message}`);
const commands = (plan: HostPlan) => plan.steps.map((step) => shellCommand(step.argv));

describe('drift and plan agree on the rows of issue 10', () => {
  it('eth2 carries VLAN tag 10 where the file says none: one drift item, and the plan clears the tag', () => {
    const lab = demoLab();
    const state = copy(recordedState('configured-ovs-a'));
    state.bridges.find((b) => b.name === 'br0')!.ports.find((p) => p.name === 'eth2')!.tag = 10;
    const { drift, plan } = analyse(lab, 'ovs-a', state);
    assert.deepEqual(lines(drift), ['different eth2 has VLAN tag 10; the lab says none']);
    assert.deepEqual(commands(plan), ['ovs-vsctl --timeout=30 -- clear port eth2 tag']);
    assert.deepEqual(plan.steps[0].changes, ['remove VLAN tag 10 from port eth2']);
    assert.deepEqual(analyse(lab, 'ovs-a', applySteps(state, plan.steps)).drift, []);
  });

  it('a gretap key 7 where the file says 42: one drift item, and the plan makes the device anew with key 42', () => {
    const lab = loadCleanLab(LINUX_LAB('{ name: vxk0, type: gre, remote: test-b, vni: 42 }'));
    const state = copy(recordedState('linux-bridge-test-a'));
    const vxk0 = state.links.find((l) => l.name === 'vxk0')!;
    vxk0.kind = 'gretap';
    vxk0.tunnel = { id: 7, remote: '10.213.50.12', local: '10.213.50.11' };
    const { drift, plan } = analyse(lab, 'test-a', state);
    assert.deepEqual(lines(drift), ['different vxk0 has key 7; the lab says 42']);
    assert.deepEqual(commands(plan), ['ip link del dev vxk0', 'ip link add name vxk0 type gretap remote 10.213.50.12 local 10.213.50.11 key 42', 'ip link set dev vxk0 master br1', 'ip link set dev vxk0 up']);
    assert.deepEqual(analyse(lab, 'test-a', applySteps(state, plan.steps)).drift, []);
  });

  it('br0 administratively down: drift says so, and the plan brings it up', () => {
    const lab = demoLab();
    const state = copy(recordedState('configured-ovs-a'));
    state.links.find((l) => l.name === 'br0')!.up = false;
    const { drift, plan } = analyse(lab, 'ovs-a', state);
    assert.deepEqual(lines(drift), ['different br0 is administratively down; the lab says up']);
    assert.deepEqual(drift[0].subject, { host: 'ovs-a', kind: 'bridge', name: 'br0' });
    assert.deepEqual(commands(plan), ['ip link set dev br0 up']);
  });

  describe('the file writes 2001:DB8:0::12, the kernel 2001:db8::12', () => {
    const v6 = (text: string) =>
      text
        .replace('eth2: { address: 10.213.50.11/24, underlay: true }', 'eth2: { address: "2001:db8::11/64", underlay: true }')
        .replace('eth2: { address: 10.213.50.12/24, underlay: true }', 'eth2: { address: "2001:DB8:0::12/64", underlay: true }');
    const withV6 = (state: HostState) => {
      const eth2 = state.links.find((l) => l.name === 'eth2')!;
      eth2.addresses = [{ cidr: '2001:db8::11/64', family: 'inet6', scope: 'global' }];
      return eth2;
    };

    it('a kernel VXLAN device: the tunnel is fine and nothing is planned', () => {
      const lab = loadCleanLab(v6(LINUX_LAB('{ name: vxk0, type: vxlan, remote: "2001:DB8:0::12", vni: 42 }', '{ name: vxk0, type: vxlan, remote: "2001:db8::11", vni: 42 }')));
      assert.equal(lab.tunnels[0].remoteAddress, '2001:DB8:0::12', 'the file spelling reaches the comparison');
      const state = copy(recordedState('linux-bridge-test-a'));
      withV6(state);
      state.links.find((l) => l.name === 'vxk0')!.tunnel = { id: 42, remote: '2001:db8::12', local: '2001:db8::11', dstport: 4789 };
      const { drift, plan } = analyse(lab, 'test-a', state);
      assert.deepEqual(lines(drift), []);
      assert.deepEqual(commands(plan), []);
      state.links.find((l) => l.name === 'vxk0')!.tunnel!.remote = '2001:db8::13';
      assert.deepEqual(lines(analyse(lab, 'test-a', state).drift), ['different vxk0 has remote 2001:db8::13; the lab says 2001:DB8:0::12']);
    });

    it('GRE over IPv6 is an ip6gretap device: planned so, and then found as declared', () => {
      const lab = loadCleanLab(v6(LINUX_LAB('{ name: grk0, type: gre, remote: "2001:DB8:0::12", vni: 42 }', '{ name: grk0, type: gre, remote: "2001:db8::11", vni: 42 }')));
      const state = copy(recordedState('configured-test-a'));
      withV6(state);
      const { plan } = analyse(lab, 'test-a', state);
      assert.ok(commands(plan).includes('ip link add name grk0 type ip6gretap remote 2001:DB8:0::12 local 2001:db8::11 key 42'), commands(plan).join('\n'));
      const after = applySteps(state, plan.steps);
      assert.deepEqual(lines(analyse(lab, 'test-a', after).drift), []);
      after.links.find((l) => l.name === 'grk0')!.kind = 'gretap';
      assert.deepEqual(lines(analyse(lab, 'test-a', after).drift), ['different grk0 is a gretap device; the lab says gre']);
    });

    it('an OVS tunnel port: remote_ip is fine and nothing is planned', () => {
      const lab = demoLab((text) =>
        text
          .replace('{ name: vx0, type: vxlan, remote: ovs-b }', '{ name: vx0, type: vxlan, remote: "2001:DB8:0::12" }')
          .replace('address: 10.213.100.1/24', 'address: "2001:db8::11/64"')
          .replace('address: 10.213.100.2/24', 'address: "2001:DB8:0::12/64"'),
      );
      const state = copy(recordedState('configured-ovs-a'));
      state.links.find((l) => l.name === 'br-phy')!.addresses = [{ cidr: '2001:db8::11/64', family: 'inet6', scope: 'global' }];
      state.bridges.find((b) => b.name === 'br0')!.ports.find((p) => p.name === 'vx0')!.interfaces[0].options.remote_ip = '2001:db8::12';
      const { drift, plan } = analyse(lab, 'ovs-a', state);
      assert.deepEqual(lines(drift), []);
      assert.deepEqual(plan.steps, []);
    });

    it('an address on an interface, in either spelling, is the one address', () => {
      const lab = loadCleanLab(v6(LINUX_LAB('{ name: vxk0, type: vxlan, remote: test-b, vni: 42 }')));
      const state = copy(recordedState('configured-test-b'));
      state.links.find((l) => l.name === 'eth2')!.addresses = [{ cidr: '2001:db8::12/64', family: 'inet6', scope: 'global' }];
      const { drift, plan } = analyse(lab, 'test-b', state);
      assert.deepEqual(
        lines(drift).filter((line) => line.includes('2001')),
        [],
      );
      assert.ok(!commands(plan).some((command) => command.startsWith('ip addr') && command.includes('2001')), commands(plan).join('\n'));
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The property.

interface Case {
  name: string;
  lab: Lab;
  host: string;
  state: HostState;
}

/** Every way the test changes one field the comparison knows, on the host's side. */
function stateMutations(state: HostState): { name: string; mutate: (s: HostState) => void }[] {
  const out: { name: string; mutate: (s: HostState) => void }[] = [];
  const bridge = (s: HostState, name: string) => s.bridges.find((b) => b.name === name)!;
  const port = (s: HostState, b: string, p: string) => bridge(s, b).ports.find((candidate) => candidate.name === p)!;
  const link = (s: HostState, name: string) => s.links.find((l) => l.name === name)!;
  const ovsOwned = new Set(state.bridges.flatMap((b) => [b.name, ...b.ports.filter((p) => p.interfaces[0]?.type === 'internal').map((p) => p.name)]));

  for (const b of state.bridges) {
    out.push({ name: `bridge ${b.name} datapath flipped`, mutate: (s) => void (bridge(s, b.name).datapathType = b.datapathType === 'netdev' ? 'system' : 'netdev') });
    out.push({
      name: `bridge ${b.name} deleted`,
      mutate: (s) => {
        const gone = bridge(s, b.name);
        s.bridges = s.bridges.filter((candidate) => candidate !== gone);
        const internal = new Set(gone.ports.filter((p) => p.interfaces[0]?.type === 'internal').map((p) => p.name));
        s.links = s.links.filter((l) => !internal.has(l.name));
        for (const l of s.links) if (gone.ports.some((p) => p.name === l.name)) l.master = undefined;
      },
    });
    for (const p of b.ports.filter((candidate) => candidate.name !== b.name)) {
      const iface = p.interfaces[0];
      out.push({
        name: `port ${p.name} deleted`,
        mutate: (s) => {
          bridge(s, b.name).ports = bridge(s, b.name).ports.filter((candidate) => candidate.name !== p.name);
          const l = link(s, p.name);
          if (l && iface?.type === 'internal') s.links = s.links.filter((candidate) => candidate !== l);
          else if (l) l.master = undefined;
        },
      });
      out.push({ name: `port ${p.name} tag ${p.tag === undefined ? 'set' : 'cleared'}`, mutate: (s) => void (port(s, b.name, p.name).tag = p.tag === undefined ? 10 : undefined) });
      const other = state.bridges.find((candidate) => candidate.name !== b.name);
      if (other) {
        out.push({
          name: `port ${p.name} moved to ${other.name}`,
          mutate: (s) => {
            const moved = port(s, b.name, p.name);
            bridge(s, b.name).ports = bridge(s, b.name).ports.filter((candidate) => candidate !== moved);
            bridge(s, other.name).ports.push(moved);
          },
        });
      }
      if (!iface) continue;
      const tunnel = ['vxlan', 'geneve', 'gre'].includes(iface.type);
      if (tunnel) {
        out.push({ name: `port ${p.name} type changed`, mutate: (s) => void (port(s, b.name, p.name).interfaces[0].type = iface.type === 'vxlan' ? 'geneve' : 'vxlan') });
        const values: Record<string, string> = { remote_ip: '10.213.100.9', key: '7', dst_port: '8472', local_ip: '10.213.100.77' };
        for (const [key, value] of Object.entries(values)) {
          out.push({ name: `port ${p.name} option ${key} set`, mutate: (s) => void (port(s, b.name, p.name).interfaces[0].options[key] = value) });
          if (iface.options[key] !== undefined) out.push({ name: `port ${p.name} option ${key} removed`, mutate: (s) => void delete port(s, b.name, p.name).interfaces[0].options[key] });
        }
      } else if (iface.type === 'system') {
        out.push({ name: `port ${p.name} made internal`, mutate: (s) => void (port(s, b.name, p.name).interfaces[0].type = 'internal') });
      }
    }
  }
  for (const l of state.links) {
    if (l.up) out.push({ name: `link ${l.name} admin down`, mutate: (s) => void (link(s, l.name).up = false) });
    out.push({ name: `link ${l.name} MTU 9000`, mutate: (s) => void (link(s, l.name).mtu = 9000) });
    // A device OVS owns cannot go while OVS keeps its row; the others can.
    if (!ovsOwned.has(l.name)) {
      out.push({
        name: `link ${l.name} deleted`,
        mutate: (s) => {
          s.links = s.links.filter((candidate) => candidate.name !== l.name);
          for (const other of s.links) if (other.master === l.name) other.master = undefined;
        },
      });
    }
    if (l.master && l.master !== 'ovs-system') out.push({ name: `link ${l.name} released from ${l.master}`, mutate: (s) => void (link(s, l.name).master = undefined) });
    if (l.tunnel) {
      out.push({ name: `link ${l.name} id changed`, mutate: (s) => void (link(s, l.name).tunnel!.id = (l.tunnel!.id ?? 0) + 1) });
      out.push({ name: `link ${l.name} remote changed`, mutate: (s) => void (link(s, l.name).tunnel!.remote = '10.213.50.99') });
      out.push({ name: `link ${l.name} local removed`, mutate: (s) => void (link(s, l.name).tunnel!.local = undefined) });
      out.push({ name: `link ${l.name} dstport changed`, mutate: (s) => void (link(s, l.name).tunnel!.dstport = 8472) });
      out.push({ name: `link ${l.name} kind changed`, mutate: (s) => void (link(s, l.name).kind = l.kind === 'vxlan' ? 'geneve' : 'vxlan') });
    }
    l.addresses.forEach((address, i) => {
      if (address.scope === 'link' || address.scope === 'host') return;
      out.push({ name: `${address.cidr} removed from ${l.name}`, mutate: (s) => void link(s, l.name).addresses.splice(i, 1) });
      out.push({ name: `${address.cidr} on ${l.name} with another prefix`, mutate: (s) => void (link(s, l.name).addresses[i].cidr = address.cidr.replace(/\/\d+$/, '/16')) });
      const other = state.links.find((candidate) => candidate.name !== l.name && candidate.name !== 'lo');
      if (other) {
        out.push({
          name: `${address.cidr} moved from ${l.name} to ${other.name}`,
          mutate: (s) => {
            const [moved] = link(s, l.name).addresses.splice(i, 1);
            link(s, other.name).addresses.push(moved);
          },
        });
      }
    });
    out.push({ name: `192.168.77.1/24 added to ${l.name}`, mutate: (s) => void link(s, l.name).addresses.push({ cidr: '192.168.77.1/24', family: 'inet', scope: 'global' }) });
  }
  return out;
}

/** Every way the test changes one field the comparison knows, on the file's side. */
function labMutations(lab: Lab, host: string): { name: string; mutate: (l: Lab) => void }[] {
  const out: { name: string; mutate: (l: Lab) => void }[] = [];
  const declared = lab.hosts.find((h) => h.name === host)!;
  const hostOf = (l: Lab) => l.hosts.find((h) => h.name === host)!;
  declared.bridges.forEach((b, bi) => {
    const bridge = (l: Lab) => hostOf(l).bridges[bi];
    if (b.kind === 'ovs') out.push({ name: `file: ${b.name} datapath flipped`, mutate: (l) => void (bridge(l).datapath = b.datapath === 'netdev' ? 'system' : 'netdev') });
    out.push({ name: `file: ${b.name} mtu 1400`, mutate: (l) => void (bridge(l).mtu = 1400) });
    out.push({ name: `file: ${b.name} address added`, mutate: (l) => void bridge(l).addresses.push('10.99.0.1/24') });
    b.addresses.forEach((address, ai) => out.push({ name: `file: ${b.name} ${address} prefix /16`, mutate: (l) => void (bridge(l).addresses[ai] = address.replace(/\/\d+$/, '/16')) }));
    b.ports.forEach((p, pi) => {
      const port = (l: Lab) => bridge(l).ports[pi];
      if (b.kind === 'ovs') out.push({ name: `file: ${p.name} vlan ${p.vlan === undefined ? 'set' : 'cleared'}`, mutate: (l) => void (port(l).vlan = p.vlan === undefined ? 20 : undefined) });
      if (p.type === 'vxlan' || p.type === 'geneve' || p.type === 'gre') {
        out.push({ name: `file: ${p.name} vni 99`, mutate: (l) => void (port(l).vni = 99) });
        if (p.type !== 'gre') out.push({ name: `file: ${p.name} dstport 4790`, mutate: (l) => void (port(l).dstport = 4790) });
        out.push({ name: `file: ${p.name} local set`, mutate: (l) => void (port(l).local = '10.213.77.1') });
        out.push({ name: `file: ${p.name} type changed`, mutate: (l) => void (port(l).type = p.type === 'vxlan' ? 'geneve' : 'vxlan') });
      }
    });
  });
  declared.interfaces.forEach((iface, ii) => {
    out.push({ name: `file: ${iface.name} mtu 1400`, mutate: (l) => void (hostOf(l).interfaces[ii].mtu = 1400) });
    out.push({ name: `file: ${iface.name} address added`, mutate: (l) => void hostOf(l).interfaces[ii].addresses.push('10.98.0.1/24') });
  });
  return out;
}

/** The lab file the light host was recorded under (scripts/record-light-host-fixture.ts): hosts with ssh only. */
const SCALE_LAB = ['version: 1', 'name: record-light', 'hosts:', '  h01:', '    ssh: { host: 10.213.31.11 }', ''].join('\n');

function recordedCases(): Case[] {
  const demo = demoLab();
  const scale = loadCleanLab(SCALE_LAB);
  const linux = loadCleanLab(LINUX_LAB('{ name: vxk0, type: vxlan, remote: test-b, vni: 42 }'));
  const names = readdirSync(HOST_FIXTURES)
    .filter((file) => file.endsWith('.txt'))
    .map((file) => file.replace(/\.txt$/, ''));
  const labOf = (host: string) => (demo.hosts.some((h) => h.name === host) ? demo : scale);
  const cases = names.map((name) => ({ name, lab: labOf(hostOf(name)), host: hostOf(name), state: recordedState(name) }));
  for (const name of names.filter((candidate) => hostOf(candidate) === 'test-a')) cases.push({ name: `${name} (Linux bridge lab)`, lab: linux, host: 'test-a', state: recordedState(name) });
  return cases;
}

/** Drift items no plan step changes: what OVS reports as an error. The plan names them instead. */
const unfixable = (drift: DriftItem[]) => drift.filter((item) => / has an error: /.test(item.message));

function checkAgreement(lab: Lab, host: string, state: HostState, label: string): void {
  const { drift, plan } = analyse(lab, host, state);
  assert.equal(planIsEmpty(plan), drift.length === 0, `${label}: drift ${JSON.stringify(lines(drift))}, plan ${JSON.stringify({ commands: commands(plan), problems: plan.problems, notes: plan.notes })}`);
  assert.equal(plan.notes.length, unfixable(drift).length, `${label}: every difference apply leaves is named`);
  if (plan.problems.length) return; // nothing runs on a blocked host
  let after: HostState;
  try {
    after = applySteps(state, plan.steps);
  } catch (error) {
    assert.fail(`${label}: a step would fail: ${(error as Error).message}\n${commands(plan).join('\n')}`);
  }
  const again = analyse(lab, host, after);
  assert.deepEqual(lines(again.drift), lines(unfixable(drift)), `${label}: drift left after the plan ${JSON.stringify(commands(plan))}`);
  assert.deepEqual(commands(again.plan), [], `${label}: a second plan has nothing to do`);
}

describe('drift and plan agree on every recorded host state and each change of one field', () => {
  const cases = recordedCases();
  let checked = 0;

  after(() => {
    // The size of the property, for the record (the closing note quotes it).
    console.log(`      ${cases.length} recorded states, ${checked} states and mutations checked`);
  });

  for (const c of cases) {
    it(`${c.name}: as recorded, each field changed on the host, and each field changed in the file`, () => {
      checkAgreement(c.lab, c.host, c.state, `${c.name} as recorded`);
      checked++;
      for (const mutation of stateMutations(c.state)) {
        const state = copy(c.state);
        mutation.mutate(state);
        checkAgreement(c.lab, c.host, state, `${c.name}, ${mutation.name}`);
        checked++;
      }
      for (const mutation of labMutations(c.lab, c.host)) {
        const draft = copy(c.lab);
        mutation.mutate(draft);
        checkAgreement(resolveLab(draft), c.host, c.state, `${c.name}, ${mutation.name}`);
        checked++;
      }
    });
  }

  it('on an OVS error, names it in the plan rather than saying "no changes"', () => {
    const lab = demoLab();
    const state = copy(recordedState('configured-ovs-a'));
    state.bridges.find((b) => b.name === 'br0')!.ports.find((p) => p.name === 'vx0')!.interfaces[0].error = 'could not open network device vx0 (No such device)';
    const { drift, plan } = analyse(lab, 'ovs-a', state);
    assert.deepEqual(lines(drift), ['different vx0 on bridge br0 has an error: could not open network device vx0 (No such device)']);
    assert.deepEqual(plan.steps, []);
    assert.deepEqual(plan.notes, ['ovs-a: OVS reports an error on vx0 (bridge br0): could not open network device vx0 (No such device). Apply does not change that; Doctor may say why.']);
  });
});
