import { strict as assert } from 'node:assert';
import { loadLabText } from '../../../src/lab/load';
import type { Lab } from '../../../src/lab/types';
import { LAB_TEMPLATES, labTemplate, sshConfigHostAliases, templateHosts, type LabTemplateKind } from '../../../src/views/labTemplates';

const KINDS: LabTemplateKind[] = ['ovs-vxlan', 'linux-vxlan', 'playground'];

function load(kind: LabTemplateKind, hosts: string[], name = 'my-lab'): Lab {
  const text = labTemplate(kind, { name, hosts });
  const result = loadLabText(text, `${name}.lab.yaml`);
  assert.deepEqual(result.diagnostics, [], `${kind} with hosts [${hosts.join(', ')}]:\n${text}`);
  assert.ok(result.lab);
  return result.lab;
}

function bridges(lab: Lab): string[] {
  return lab.hosts.flatMap((host) => host.bridges.map((bridge) => `${host.name}/${bridge.name}:${bridge.kind}`));
}

function tunnels(lab: Lab): string[] {
  return lab.tunnels.map((tunnel) => `${tunnel.host}/${tunnel.port} ${tunnel.type} -> ${tunnel.remoteHost} ${tunnel.remoteAddress} vni ${tunnel.vni}`);
}

describe('lab templates', () => {
  it('offers the three templates, each with a name the lab accepts', () => {
    assert.deepEqual(LAB_TEMPLATES.map((choice) => choice.kind), KINDS);
    for (const choice of LAB_TEMPLATES) load(choice.kind, [], choice.defaultName);
  });

  for (const kind of KINDS) {
    const names = templateHosts(kind);
    it(`${kind}: checks clean with placeholders, with some hosts picked, with all and with too many`, () => {
      for (const hosts of [[], ['alpha'], names.map((_, index) => `pick-${index}`), [...names.map((_, index) => `pick-${index}`), 'extra']]) {
        const lab = load(kind, hosts);
        assert.deepEqual(lab.hosts.map((host) => host.name), names);
        assert.equal(lab.name, 'my-lab');
        names.forEach((name, index) => {
          const host = lab.hosts.find((candidate) => candidate.name === name)!;
          if (index < hosts.length) {
            assert.equal(host.ssh.host, hosts[index]);
            // ~/.ssh/config gives the user and the jumps of a picked host.
            assert.equal(host.ssh.user, undefined);
            assert.equal(host.ssh.jump, undefined);
          } else {
            assert.match(host.ssh.host ?? '', /^(203\.0\.113|198\.51\.100)\.\d+$/);
            assert.equal(host.ssh.user, 'root');
          }
        });
      }
    });
  }

  it('ovs-vxlan: two OVS bridges joined by VXLAN at MTU 1450, test hosts behind them', () => {
    const lab = load('ovs-vxlan', []);
    assert.deepEqual(bridges(lab), ['ovs-a/br0:ovs', 'ovs-b/br0:ovs']);
    assert.deepEqual(tunnels(lab), ['ovs-a/vx0 vxlan -> ovs-b 198.51.100.20 vni 0', 'ovs-b/vx0 vxlan -> ovs-a 203.0.113.10 vni 0']);
    for (const host of lab.hosts.slice(0, 2)) {
      assert.equal(host.bridges[0].mtu, 1450);
      assert.deepEqual(host.bridges[0].ports.map((port) => port.name), ['eth2', 'vx0']);
    }
    assert.deepEqual(lab.routes['test-a'].jumps, ['ovs-a']);
    assert.deepEqual(lab.hosts.slice(2).map((host) => host.interfaces[0].mtu), [1450, 1450]);
    assert.deepEqual(lab.segments.map((segment) => segment.name), ['lan-a', 'lan-b', 'wan']);
    assert.deepEqual(lab.scripts.map((script) => [script.name, script.hosts]), [['install-ovs', ['ovs-a', 'ovs-b']]]);
  });

  it('linux-vxlan: two Linux bridges joined by kernel VXLAN with a VNI', () => {
    const lab = load('linux-vxlan', []);
    assert.deepEqual(bridges(lab), ['gw-a/br0:linux', 'gw-b/br0:linux']);
    assert.deepEqual(tunnels(lab), ['gw-a/vx0 vxlan -> gw-b 198.51.100.20 vni 42', 'gw-b/vx0 vxlan -> gw-a 203.0.113.10 vni 42']);
    assert.ok(lab.hosts.slice(0, 2).every((host) => host.bridges[0].mtu === 1450));
  });

  it('playground: one host, one OVS bridge, an internal port holding an address', () => {
    const lab = load('playground', ['box']);
    assert.deepEqual(bridges(lab), ['playground/br0:ovs']);
    assert.deepEqual(lab.tunnels, []);
    const [host] = lab.hosts;
    assert.deepEqual(host.bridges[0].ports.map((port) => [port.name, port.type]), [['lab0', 'internal']]);
    assert.deepEqual(host.interfaces.map((iface) => [iface.name, iface.addresses]), [['lab0', ['192.168.100.1/24']]]);
  });

  it('refuses a bad lab name or an unsafe alias', () => {
    assert.throws(() => labTemplate('playground', { name: 'My Lab', hosts: [] }), /lab name/);
    assert.throws(() => labTemplate('playground', { name: 'x', hosts: ['-oProxyCommand=x'] }), /ssh host/);
  });

  it('lists the plain Host aliases of an ssh config, without wildcards, negations or Match', () => {
    const text = ['Host *', '  User me', 'Host alpha beta', '  HostName 10.0.0.1', 'Host "gamma" *.example.com !delta', 'Match host epsilon', 'Host alpha -bad', 'Include ~/.ssh/more'].join('\n');
    assert.deepEqual(sshConfigHostAliases(text), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(sshConfigHostAliases(''), []);
  });
});
