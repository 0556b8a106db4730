// The building blocks: IP and CIDR parsing, jump syntax, "did you mean".

import { strict as assert } from 'node:assert';
import { ipKey, parseCidr, parseIp, reservedIpv4HostPart } from '../../../src/lab/addresses';
import { nameProblem, parseJump, parseRemote } from '../../../src/lab/names';
import { closest } from '../../../src/lab/suggest';

describe('lab primitives', () => {
  it('parses IPv4 strictly', () => {
    assert.deepEqual(parseIp('192.168.1.1')?.bytes, [192, 168, 1, 1]);
    for (const bad of ['192.168.1', '192.168.1.1.1', '256.1.1.1', '01.1.1.1', '1.1.1.-1', ' 1.1.1.1', '1.1.1.1 ', '']) assert.equal(parseIp(bad), undefined, bad);
  });

  it('parses IPv6, compressed or not, with a dotted tail', () => {
    const full = parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')!;
    assert.equal(ipKey(parseIp('2001:db8::1')!), ipKey(full));
    assert.equal(ipKey(parseIp('::ffff:192.0.2.1')!), ipKey(parseIp('::ffff:c000:201')!));
    assert.ok(parseIp('::'));
    assert.ok(parseIp('fe80::'));
    for (const bad of ['2001:db8:::1', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'fe80::1%eth0', '1.2.3.4::', ':1::']) {
      assert.equal(parseIp(bad), undefined, bad);
    }
    assert.notEqual(ipKey(parseIp('::1')!), ipKey(parseIp('0.0.0.1')!), 'families differ');
  });

  it('parses CIDR and says what is wrong', () => {
    const ok = parseCidr('10.0.0.1/24');
    assert.ok(ok.ok && ok.cidr.prefix === 24 && ok.cidr.address === '10.0.0.1');
    const problem = (text: string) => {
      const r = parseCidr(text);
      return r.ok ? '' : r.problem;
    };
    assert.match(problem('10.0.0.1'), /no prefix length; write it as CIDR, e.g. 10.0.0.1\/24/);
    assert.match(problem('2001:db8::1'), /e.g. 2001:db8::1\/64/);
    assert.match(problem('10.0.0.1/024'), /invalid prefix length/);
    assert.match(problem('10.0.0.1/'), /invalid prefix length/);
    assert.match(problem('eth0'), /not an IP address in CIDR notation/);
  });

  it('finds the network and broadcast addresses of IPv4 subnets up to /30', () => {
    const reserved = (text: string) => {
      const r = parseCidr(text);
      return r.ok ? reservedIpv4HostPart(r.cidr) : 'invalid';
    };
    assert.equal(reserved('10.0.0.0/8'), 'network');
    assert.equal(reserved('10.255.255.255/8'), 'broadcast');
    assert.equal(reserved('10.0.0.3/30'), 'broadcast');
    assert.equal(reserved('10.0.0.1/30'), undefined);
    assert.equal(reserved('10.0.0.0/31'), undefined);
    assert.equal(reserved('2001:db8::/64'), undefined);
  });

  it('reads jump syntax', () => {
    assert.deepEqual(parseJump('ovs-a'), { kind: 'name', name: 'ovs-a' });
    assert.deepEqual(parseJump('root@10.0.0.1:2222'), { kind: 'external', jump: { user: 'root', host: '10.0.0.1', port: 2222 } });
    assert.deepEqual(parseJump('[2001:db8::1]'), { kind: 'external', jump: { user: undefined, host: '2001:db8::1', port: undefined } });
    for (const bad of ['a b', 'root@', '@h', 'h:', 'h:0', '[::1', '[x]:22', 'u@h;x', '-oProxyCommand=x']) assert.equal(parseJump(bad).kind, 'invalid', bad);
  });

  it('reads remote syntax', () => {
    assert.equal(parseRemote('10.0.0.1').kind, 'ip');
    assert.equal(parseRemote('2001:db8::1').kind, 'ip');
    assert.equal(parseRemote('ovs-b').kind, 'name');
    for (const bad of ['10.0.0.1/24', '10.0.0.256', 'fe80::1%eth0', 'a b', '$(x)']) assert.equal(parseRemote(bad).kind, 'invalid', bad);
  });

  it('holds interface names to 15 safe characters', () => {
    assert.equal(nameProblem('interface', 'eth0'), undefined);
    assert.equal(nameProblem('interface', 'a23456789012345'), undefined);
    assert.match(nameProblem('interface', 'a234567890123456')!, /16 characters long/);
    for (const bad of ['eth0$(reboot)', 'eth 0', 'eth0:1', 'a/b', '-x', '.x', '', 'é']) assert.ok(nameProblem('interface', bad), bad);
  });

  it('suggests close keys only', () => {
    assert.equal(closest('adress', ['address', 'mtu']), 'address');
    assert.equal(closest('identity_file', ['identityFile']), 'identityFile');
    assert.equal(closest('vnid', ['vni', 'vlan']), 'vni');
    assert.equal(closest('mtu', ['vni']), undefined);
    assert.equal(closest('colour', ['ssh', 'sudo', 'interfaces', 'bridges']), undefined);
  });
});
