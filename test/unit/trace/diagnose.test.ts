// The cause read at the place of loss, on recorded captures (test/fixtures/trace) and recorded
// host states (test/fixtures/hosts): what the hosts hold decides it, with the values in the
// evidence. The hosts here answer no command: whatever the diagnosis needs beyond the states
// and the counters it was given comes back empty, as from a host that says nothing.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameReader } from '../../../src/capture/frameParser';
import type { CaptureFrame } from '../../../src/capture/types';
import type { ProbeTransport } from '../../../src/hosts/probe';
import { diagnose, type DiagnoseContext } from '../../../src/trace/diagnose';
import { followProbes } from '../../../src/trace/follow';
import { legsFor, pointKey } from '../../../src/trace/legs';
import { parseNftRuleset } from '../../../src/trace/measure/firewallRules';
import type { HostCounters } from '../../../src/trace/measure/hostCounters';
import { configured, demoLab, labState, ovsInterface } from '../doctor/support';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'trace', name), 'utf8');

function frames(lines: string[]): CaptureFrame[] {
  const out: CaptureFrame[] = [];
  const reader = new FrameReader((f) => out.push(f));
  for (const line of lines.flatMap((l) => l.split('\n'))) reader.push(line);
  reader.end();
  return out;
}

/** Answers every command with nothing (exit 1), and the counters script with `counters`. */
function quietHosts(counters: Record<string, string> = {}): ProbeTransport & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    exec: async (host, command) => {
      const argv = Array.isArray(command) ? command : [];
      asked.push(`${host}: ${argv.slice(0, 3).join(' ')}`);
      if (argv[0] === 'sh' && String(argv[2]).includes('section links') && counters[host]) return { code: 0, stdout: counters[host], stderr: '' };
      return { code: 1, stdout: '', stderr: '' };
    },
  };
}

function context(name: string, pool: ProbeTransport, edit?: (states: ReturnType<typeof configured>) => void, before: Record<string, HostCounters> = {}): DiagnoseContext {
  const lab = demoLab();
  const states = configured();
  edit?.(states);
  const legs = legsFor(lab, { host: 'test-a', interface: 'eth2' }, '10.213.50.12');
  const captured = (JSON.parse(fixture(`${name}.json`)) as { captured: { host: string; interface: string; lines: string[] }[] }).captured;
  const framesAt = legs.points.map((p) => frames(captured.find((c) => c.host === p.host && c.interface === p.interface)?.lines ?? []));
  const who = { from: '10.213.50.11', to: '10.213.50.12' };
  const index = new Map(legs.points.map((p, i) => [pointKey(p), i]));
  return {
    pool,
    lab,
    legs,
    state: labState(lab, states),
    before,
    framesAt: (p) => framesAt[index.get(pointKey(p)) ?? -1] ?? [],
    errorAt: () => undefined,
    who,
    followed: followProbes(legs, framesAt, who),
    ping: { code: 1, output: '1 packets transmitted, 0 received, 100% packet loss' },
    controlWaitMs: 0,
  };
}

describe('trace: the measured cause', () => {
  it('host-firewall: the rule whose counter moved while the echo request arrived, named with its counter', async () => {
    const after = fixture('nft-ruleset.json');
    const beforeRules = parseNftRuleset(after).map((r) => (r.packets !== undefined ? { ...r, packets: 0, text: r.text.replace(/counter packets \d+/, 'counter packets 0') } : r));
    const counters = `@@overlay-lab-probe format 1\n@@overlay-lab-probe begin nft\n${after}\n@@overlay-lab-probe end nft 0\n`;
    const pool = quietHosts({ 'test-b': counters });
    const diagnosis = await diagnose(context('host-firewall', pool, undefined, { 'test-b': { host: 'test-b', flows: {}, flowProblems: {}, firewall: beforeRules } }));
    assert.equal(diagnosis.cause.kind, 'host-firewall', JSON.stringify(diagnosis, null, 2));
    assert.equal(diagnosis.cause.confidence, 'proved');
    assert.match(diagnosis.cause.evidence.join('\n'), /test-b holds 10\.213\.50\.12 on eth2/);
    assert.match(diagnosis.cause.evidence.join('\n'), /the firewall rule "icmp type echo-request counter packets [1-9]\d* drop" \(nft inet olt_fw input handle \d+, input\) counted 0→[1-9]\d* packets during the trace/);
  });

  it('no counter moved and nothing else found: no-answer, likely, saying what was checked', async () => {
    const counters = `@@overlay-lab-probe format 1\n@@overlay-lab-probe begin nft\n{"nftables": []}\n@@overlay-lab-probe end nft 0\n`;
    const diagnosis = await diagnose(context('host-firewall', quietHosts({ 'test-b': counters }), undefined, { 'test-b': { host: 'test-b', flows: {}, flowProblems: {}, firewall: [] } }));
    assert.deepEqual([diagnosis.cause.kind, diagnosis.cause.confidence], ['no-answer', 'likely']);
    assert.match(diagnosis.cause.evidence.join('\n'), /no firewall rule of test-b counted a drop during the trace/);
  });

  it('address-absent: the destination holds another address, and no host of the lab holds it', async () => {
    const diagnosis = await diagnose(
      context('host-firewall', quietHosts(), (states) => {
        const eth2 = states['test-b'].links.find((l) => l.name === 'eth2')!;
        eth2.addresses = [{ cidr: '10.213.50.99/24', family: 'inet' }];
      }),
    );
    assert.deepEqual([diagnosis.cause.kind, diagnosis.cause.confidence], ['address-absent', 'proved']);
    assert.match(diagnosis.cause.evidence.join('\n'), /test-b does not hold 10\.213\.50\.12: test-b:eth2 holds 10\.213\.50\.99\/24 \(ip -j addr\)/);
  });

  it('mac-filter is not claimed without its control probe: a control that could not be sent leaves the cause unknown', async () => {
    const diagnosis = await diagnose(context('mac-filter', quietHosts()));
    assert.equal(diagnosis.cause.kind, 'unknown', JSON.stringify(diagnosis, null, 2));
    assert.match(diagnosis.cause.evidence.join('\n'), /with source MAC [0-9a-f:]{17}.*not ovs-b:eth2's own/);
    assert.match(diagnosis.cause.evidence.join('\n'), /the control frame could not be sent from ovs-b:eth2/);
  });

  it('an answer that came after ping stopped waiting is said with its times, not called lost', async () => {
    const diagnosis = await diagnose(context('healthy', quietHosts()));
    assert.deepEqual([diagnosis.cause.kind, diagnosis.cause.confidence], ['unknown', 'unknown']);
    assert.match(diagnosis.cause.evidence.join('\n'), /the echo reply reached test-a:eth2 10\d\d ms after ping sent, later than its 1 s wait \(ARP requests at \+0 ms, \+10\d\d ms: the first 1 went unanswered\)/);
    assert.match(diagnosis.hints[0], /--seconds 3/);
  });

  it('a key changed on the far end (as its state reads): vni-mismatch, with the VNI the frames arrived with', async () => {
    // The recorded lost-in-decapsulation shape: the healthy capture cut after ovs-b:eth0.
    const ctx = context('healthy', quietHosts(), (states) => {
      ovsInterface(states['ovs-b'], 'vx0').options.key = '99';
    });
    const legs = ctx.legs;
    const cut = legs.points.map((p) => (['ovs-b:eth2', 'test-b:eth2'].includes(pointKey(p)) ? [] : ctx.framesAt(p)));
    const followed = followProbes(legs, cut, ctx.who);
    const diagnosis = await diagnose({ ...ctx, followed, framesAt: (p) => cut[legs.points.findIndex((q) => pointKey(q) === pointKey(p))] ?? [] });
    assert.deepEqual([diagnosis.cause.kind, diagnosis.cause.confidence], ['vni-mismatch', 'proved'], JSON.stringify(diagnosis, null, 2));
    assert.match(diagnosis.cause.evidence[0], /^ovs-a's vx0 sends key 0 \(the frames arrived with VNI 0\); ovs-b's vx0 expects key 99$/);
  });
});
