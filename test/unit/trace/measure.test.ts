// The trace's measurements read on what the hosts printed (recorded on the test lab by
// test/fixtures/trace/record.ts): ofproto/trace, dump-flows, nft -j; and the control frames it
// builds byte by byte.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { controlFrameHex, sendFrameArgv, sendUdpArgv } from '../../../src/trace/measure/controlFrame';
import { movedDrops, parseIptablesSave, parseNftRuleset } from '../../../src/trace/measure/firewallRules';
import { droppingRule, parseOfprotoTrace, traceFlowText } from '../../../src/trace/measure/ofprotoTrace';
import { movedFlows, parseFlows } from '../../../src/trace/measure/openflowRules';
import { shellCommand } from '../../../src/util/shell';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'trace', name), 'utf8');

function checksumOk(hex: string): boolean {
  let sum = 0;
  for (let i = 0; i < hex.length; i += 4) sum += parseInt(hex.slice(i, i + 4).padEnd(4, '0'), 16);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return sum === 0xffff;
}

describe('trace measurements', () => {
  it('reads the rule ofproto/trace says drops the frame, and a forwarding verdict', () => {
    const drop = parseOfprotoTrace(fixture('ofproto-trace-drop.txt'));
    assert.equal(drop.dropped, true);
    assert.match(droppingRule(drop)?.match ?? '', /icmp,nw_dst=10\.213\.50\.11,icmp_type=0/);
    const forward = parseOfprotoTrace(fixture('ofproto-trace-forward.txt'));
    assert.equal(forward.dropped, false);
    assert.ok(forward.datapathActions && forward.datapathActions !== 'drop');
    assert.equal(droppingRule(forward), undefined);
    // The same walk ending in a datapath drop (NORMAL refusing a frame): no rule of the table drops it.
    const normalDrop = parseOfprotoTrace(fixture('ofproto-trace-forward.txt').replace(/^Datapath actions: .*$/m, 'Datapath actions: drop'));
    assert.equal(normalDrop.dropped, true);
    assert.equal(droppingRule(normalDrop), undefined);
  });

  it('builds the ofproto/trace flow from the frame, refusing what is not a MAC or an address', () => {
    const frame = { class: 'icmp' as const, summary: '', srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02', src: '10.0.0.1', dst: '10.0.0.2', icmp: { message: 'echo reply' } };
    assert.equal(traceFlowText({ inPort: 'vx0', frame, tunnel: { key: 0, src: '10.213.100.2', dst: '10.213.100.1' } }), 'icmp,in_port=vx0,tun_id=0,tun_src=10.213.100.2,tun_dst=10.213.100.1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,nw_src=10.0.0.1,nw_dst=10.0.0.2,icmp_type=0,icmp_code=0');
    assert.equal(traceFlowText({ inPort: 'eth2;reboot', frame }), undefined);
    assert.equal(traceFlowText({ inPort: 'eth2', frame: { ...frame, srcMac: 'x,actions=drop' } }), undefined);
  });

  it('reads dump-flows and finds the rule whose n_packets moved', () => {
    const after = parseFlows(fixture('dump-flows-ovs-a-br0.txt'));
    const drop = after.find((r) => r.drops);
    assert.ok(drop, fixture('dump-flows-ovs-a-br0.txt'));
    assert.match(drop.match, /^priority=100,icmp,nw_dst=10\.213\.50\.11,icmp_type=0$/);
    assert.ok(drop.packets >= 1);
    const before = after.map((r) => (r.drops ? { ...r, packets: r.packets - 1 } : r));
    assert.deepEqual(movedFlows(before, after).filter((m) => m.rule.drops).map((m) => m.after - m.before), [1]);
  });

  it('reads nft -j counters and iptables-save -c, and the drop rule whose counter moved', () => {
    const after = parseNftRuleset(fixture('nft-ruleset.json'));
    const rule = after.find((r) => r.verdict === 'drop');
    assert.ok(rule, JSON.stringify(after));
    assert.match(rule.text, /icmp type echo-request counter packets \d+ drop/);
    assert.equal(rule.hook, 'input');
    const before = after.map((r) => (r === rule ? { ...r, packets: 0, text: r.text.replace(/counter packets \d+/, 'counter packets 0') } : r));
    assert.deepEqual(movedDrops(before, after).map((m) => m.rule.id), [rule.id]);
    // iptables-save -c as iptables 1.8 prints it.
    const saved = '*filter\n:INPUT ACCEPT [10:840]\n:FORWARD DROP [0:0]\n[3:252] -A INPUT -p icmp -m icmp --icmp-type 8 -j DROP\nCOMMIT\n';
    const rules = parseIptablesSave(saved);
    assert.deepEqual(rules.map((r) => [r.id, r.verdict, r.packets]), [['iptables filter FORWARD policy', 'drop', 0], ['iptables filter INPUT 1', 'drop', 3]]);
  });

  it('builds control frames byte by byte: a DAD-style ARP request, an echo with valid checksums', () => {
    const arp = controlFrameHex({ kind: 'arp', srcMac: '02:00:00:00:00:01', target: '10.213.50.12' });
    assert.equal(arp.length / 2, 60);
    assert.equal(arp.slice(0, 12), 'ffffffffffff');
    assert.equal(arp.slice(24, 28), '0806');
    assert.equal(arp.slice(56, 64), '00000000', 'sender 0.0.0.0: nobody learns a neighbour from it');
    const echo = controlFrameHex({ kind: 'icmp', srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02', from: '10.213.50.11', target: '10.213.50.12' });
    const ip = echo.slice(28, 28 + 40);
    assert.ok(checksumOk(ip), 'IPv4 header checksum');
    assert.ok(checksumOk(echo.slice(68)), 'ICMP checksum');
    assert.throws(() => controlFrameHex({ kind: 'arp', srcMac: "02:00:00:00:00:01'; rm -rf /", target: '10.0.0.1' }));
  });

  it('sends frames and datagrams with checked values as arguments, never as program text', () => {
    const argv = sendFrameArgv('eth2', 'ffff');
    assert.deepEqual(argv.slice(-2), ['eth2', 'ffff']);
    assert.throws(() => sendFrameArgv('eth2 x', 'ff'));
    assert.throws(() => sendUdpArgv('10.0.0.1; reboot', 4789));
    assert.match(shellCommand(sendUdpArgv('10.213.100.2', 4789, '10.213.100.1')), / sh 10\.213\.100\.2 4789 41 10\.213\.100\.1$/);
  });
});
