import { strict as assert } from 'node:assert';
import { CaptureArgumentError, tcpdumpArgs, tcpdumpOptionsProblem } from '../../../src/capture/tcpdumpCommand';
import { fetchArgv, stopArgv, wrapperArgv } from '../../../src/capture/remoteWrapper';
import { renderCommand } from '../../../src/ssh/pool';

describe('tcpdump command line', () => {
  it('is an argument list: line-buffered, numeric, link-level, epoch times', () => {
    assert.deepEqual(tcpdumpArgs({ interface: 'eth0' }), ['tcpdump', '-l', '-n', '-e', '-tt', '-i', 'eth0']);
    assert.deepEqual(tcpdumpArgs({ interface: 'br-phy', count: 5, filter: ' icmp or arp ' }), ['tcpdump', '-l', '-n', '-e', '-tt', '-i', 'br-phy', '-c', '5', '--', 'icmp or arp']);
  });

  it('passes the filter as ONE word after "--", so no filter can be read as an option or as shell text', () => {
    for (const filter of ['-w /etc/passwd', "icmp'; rm -rf / #", '$(reboot)', 'host `id`', 'udp port 4789 && vni 5']) {
      const argv = tcpdumpArgs({ interface: 'eth0', filter });
      assert.deepEqual(argv.slice(-2), ['--', filter]);
      const line = renderCommand(argv);
      assert.ok(line.endsWith(` -- '${filter.replace(/'/g, `'\\''`)}'`), line);
    }
  });

  it('refuses a bad interface name, a control character in the filter, or a bad count', () => {
    for (const name of ['', '-i', 'eth0;reboot', 'eth 0', 'a'.repeat(16), 'eth0/1', '$(x)']) {
      assert.throws(() => tcpdumpArgs({ interface: name }), CaptureArgumentError, name);
    }
    assert.match(tcpdumpOptionsProblem({ interface: 'eth0;x' }) ?? '', /^interface "eth0;x" is not a valid interface name/);
    assert.match(tcpdumpOptionsProblem({ interface: 'eth0', filter: 'icmp\nor arp' }) ?? '', /control character/);
    for (const count of [0, -1, 1.5, Number.NaN]) assert.match(tcpdumpOptionsProblem({ interface: 'eth0', count }) ?? '', /count must be/);
    assert.equal(tcpdumpOptionsProblem({ interface: 'eth2.10', filter: 'vlan 10', count: 1 }), undefined);
    assert.equal(tcpdumpOptionsProblem({ interface: 'any' }), undefined);
  });

  it('runs under the fixed wrapper: values as positional words, exec first, sudo after it', () => {
    const argv = wrapperArgv(tcpdumpArgs({ interface: 'eth0', filter: 'icmp' }), { pcapMegabytes: 20, keepSeconds: 60 });
    assert.deepEqual([argv[0], argv[1], argv[2]], ['exec', 'sh', '-c']);
    assert.deepEqual(argv.slice(4), ['overlay-lab-capture', '20', '60', '-l', '-n', '-e', '-tt', '-i', 'eth0', '--', 'icmp']);
    const sudo = wrapperArgv(['tcpdump', '-i', 'eth0'], { pcapMegabytes: 0, keepSeconds: 0, sudo: true });
    assert.deepEqual(sudo.slice(0, 4), ['exec', 'sudo', '-n', 'sh']);
    assert.throws(() => wrapperArgv(['rm', '-rf', '/'], { pcapMegabytes: 0, keepSeconds: 0 }));
    assert.throws(() => wrapperArgv(['tcpdump'], { pcapMegabytes: -1, keepSeconds: 0 }));
  });

  it('stops only a pid and fetches only a capture folder', () => {
    assert.deepEqual(stopArgv(4242).slice(-1), ['4242']);
    assert.throws(() => stopArgv(1));
    assert.throws(() => stopArgv(Number.NaN));
    assert.deepEqual(fetchArgv('/tmp/overlay-lab-capture.Ab12Cd').slice(-1), ['/tmp/overlay-lab-capture.Ab12Cd']);
    for (const folder of ['/tmp', '/etc/passwd', 'tmp/overlay-lab-capture.x', '/tmp/overlay-lab-capture.x; rm -rf /', '/tmp/overlay-lab-capture.']) {
      assert.throws(() => fetchArgv(folder), folder);
    }
  });
});
