import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAUSE_MEANING, destinationChoices, sourceChoices, traceBanner, traceMarkdown, traceOverlay, traceReportPath, traceSummary } from '../../../src/commands/traceReport';
import { loadLabText } from '../../../src/lab/load';
import { CAUSE_KINDS } from '../../../src/trace/traceResultV2';
import { arpLostToMacFilter, delivered, lostUnknownWithUnwatchedPoint, replyLostAtSourceFirewall } from './traceResultsV2';

const file = join(__dirname, '..', '..', '..', 'examples', 'demo.lab.yaml');
const lab = loadLabText(readFileSync(file, 'utf8'), file).lab;
assert.ok(lab);

/** The lines of the report's section that starts with `heading`, up to the next heading of its level or above. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `the report has the heading "${heading}":\n${markdown}`);
  const level = /^#+/.exec(heading)![0].length;
  const end = lines.findIndex((line, index) => index > start && new RegExp(`^#{1,${level}} `).test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

describe('the trace in the editor', () => {
  it('offers the addressed devices of the source, and every other host’s addresses as destinations', () => {
    assert.deepEqual(sourceChoices(lab, 'test-a'), [{ label: 'eth2', description: '10.213.50.11/24', address: '10.213.50.11' }]);
    assert.deepEqual(sourceChoices(lab, 'ovs-a').map((c) => c.label), ['br-phy', 'br0']);
    const destinations = destinationChoices(lab, 'test-a');
    assert.ok(destinations.some((d) => d.address === '10.213.50.12' && d.description === 'test-b eth2'));
    assert.ok(destinations.some((d) => d.address === '10.213.100.2' && d.description === 'ovs-b br-phy (underlay)'));
    assert.ok(!destinations.some((d) => d.description.startsWith('test-a')));
  });

  it('says in one line the leg, the probe, the place of loss and the cause', () => {
    assert.equal(traceSummary(replyLostAtSourceFirewall), 'test-a:eth2 → 10.213.50.12: lost on the reply leg (ICMP echo) at test-a:eth2: host-firewall, proved.');
    assert.equal(traceSummary(arpLostToMacFilter), 'test-a:eth2 → 10.213.50.12: lost on the request leg (ARP) between ovs-b:eth2 and test-b:eth2 (cn-b): mac-filter, proved.');
    assert.equal(traceSummary(delivered), 'test-a:eth2 → 10.213.50.12: delivered.');
    assert.equal(traceSummary(lostUnknownWithUnwatchedPoint), 'test-a:eth2 → 10.213.50.12: lost on the request leg (ICMP echo) between ovs-a:eth0 and ovs-b:eth0 (wan): cause unknown.');
  });

  it('reports a reply-leg loss with both legs of both probes, the place, the cause and its evidence as measured, and the hints', () => {
    const markdown = traceMarkdown('demo', replyLostAtSourceFirewall);
    assert.match(markdown, /^# Trace: test-a:eth2 \(10\.213\.50\.11\) → 10\.213\.50\.12$/m);
    assert.match(markdown, /^Lab \*\*demo\*\*\. \*\*Not delivered\*\*: lost on the \*\*reply leg\*\* \(ICMP echo reply\) at test-a:eth2\.$/m);
    assert.match(markdown, /^Probes followed, as `ping -c 1` sends them: ARP, then ICMP echo\. 1\.8 s\.$/m);

    const cause = section(markdown, '## Cause: host-firewall (proved)');
    assert.ok(cause.includes('The host received the frame and its firewall dropped it.'));
    for (const line of replyLostAtSourceFirewall.cause!.evidence) assert.ok(cause.includes(`- ${line}`), `the evidence "${line}" is in the report as measured`);

    const request = section(markdown, '## Request leg: test-a:eth2 → 10.213.50.12');
    assert.deepEqual(request.filter((line) => line.startsWith('### ')), ['### ARP request', '### ICMP echo request']);
    const reply = section(markdown, '## Reply leg: 10.213.50.12 → test-a:eth2');
    assert.deepEqual(reply.filter((line) => line.startsWith('### ')), ['### ARP reply', '### ICMP echo reply']);
    const echoReply = section(markdown, '### ICMP echo reply');
    const rows = echoReply.filter((line) => /^\| [✔✘⚠] \|/.test(line));
    assert.deepEqual(rows.map((row) => row.split('|')[2].trim()), ['test-b', 'ovs-b', 'ovs-b', 'ovs-a', 'ovs-a', 'test-a'], 'the answer’s points in its own path order');
    assert.equal(rows.at(-1), '| ✔ | test-a | eth2 |  | 1 | **← lost here**, after this point saw it |');
    assert.equal(markdown.match(/lost here/g)?.length, 1, 'the place of loss is marked once, on its own leg and probe');
    assert.deepEqual(section(markdown, '## What to do').filter(Boolean), [`- ${replyLostAtSourceFirewall.hints[0]}`]);
  });

  it('reports an ARP loss on the request leg: the place with its segment, the MAC filter proved, the reply not followed', () => {
    const markdown = traceMarkdown('demo', arpLostToMacFilter);
    const rows = section(markdown, '### ARP request').filter((line) => /^\| [✔✘⚠] \|/.test(line));
    assert.deepEqual(rows.map((row) => row.slice(2, 3)), ['✔', '✔', '✔', '✔', '✔', '✘']);
    assert.equal(rows.at(-1), '| ✘ | test-b | eth2 |  | 0 | **← lost here** |');
    assert.match(markdown, /^\| ✔ \| ovs-a \| eth0 \| yes \| 3 \| {2}\|$/m);
    assert.match(markdown, /lost on the \*\*request leg\*\* \(ARP request\) between ovs-b:eth2 and test-b:eth2 \(cn-b\)\./);
    assert.ok(section(markdown, '## Cause: mac-filter (proved)').includes("- control: an ARP request from ovs-b:eth2's own MAC reached test-b:eth2"));
    assert.deepEqual(section(markdown, '## Reply leg: 10.213.50.12 → test-a:eth2').filter(Boolean), ['Not followed. The request did not arrive, so no answer was sent.']);
  });

  it('reports a delivered trace with no cause, no place of loss and no hints', () => {
    const markdown = traceMarkdown('demo', delivered);
    assert.match(markdown, /\*\*Delivered\*\*: the answer came back to the source\./);
    assert.doesNotMatch(markdown, /## Cause|lost here|## What to do|✘/);
    assert.equal(section(markdown, '### ICMP echo reply').filter((line) => line.startsWith('| ✔ |')).length, 6);
  });

  it('says a cause is unknown with what was checked, and a point that could not be watched with why', () => {
    const markdown = traceMarkdown('demo', lostUnknownWithUnwatchedPoint);
    const cause = section(markdown, '## Cause: unknown (not found)');
    assert.ok(cause.includes('The place of loss is known, its cause is not.'));
    assert.ok(cause.includes('- both tunnel ends agree: remote_ip, VNI 0, UDP port 4789'));
    // The error's own `|` must not end its table cell.
    assert.match(markdown, /^\| ⚠ \| ovs-b \| eth2 \| {2}\| 0 \| ⚠ could not be watched: tcpdump: eth2: That device is not up \\\| exit 1 \|$/m);
  });

  it('has the meaning of every cause kind of the contract', () => {
    for (const kind of CAUSE_KINDS) assert.ok(CAUSE_MEANING[kind]?.length > 10, `a meaning for ${kind}`);
  });

  it('names the report after its lab and route, one document per route', () => {
    assert.equal(traceReportPath('demo', { host: 'test-a', interface: 'eth2' }, '10.213.50.12'), '/demo/Trace test-a:eth2 → 10.213.50.12.md');
    assert.equal(traceReportPath('a/b', { host: 'h', interface: 'e' }, '2001:db8::1'), '/a-b/Trace h:e → 2001:db8::1.md');
  });

  it('draws on the topology the probe lost, both its legs, the place of loss with its leg, and the cause in the banner', () => {
    const overlay = traceOverlay(replyLostAtSourceFirewall);
    assert.equal(overlay.probe, 'icmp');
    assert.deepEqual(overlay.request.map((p) => `${p.host}:${p.iface}`), ['test-a:eth2', 'ovs-a:eth2', 'ovs-a:eth0', 'ovs-b:eth0', 'ovs-b:eth2', 'test-b:eth2']);
    assert.deepEqual(overlay.reply.map((p) => `${p.host}:${p.iface}`), ['test-b:eth2', 'ovs-b:eth2', 'ovs-b:eth0', 'ovs-a:eth0', 'ovs-a:eth2', 'test-a:eth2']);
    assert.deepEqual(overlay.lostBetween, { leg: 'reply', from: { host: 'test-a', iface: 'eth2' }, to: { host: 'test-a', iface: 'eth2' } });
    assert.equal(overlay.banner.delivered, false);
    assert.equal(overlay.banner.summary, traceSummary(replyLostAtSourceFirewall));
    assert.equal(overlay.banner.cause, 'host-firewall, proved: the host received the frame and its firewall dropped it.');
    assert.deepEqual(overlay.banner.evidence, replyLostAtSourceFirewall.cause!.evidence);
    assert.equal(overlay.banner.hint, replyLostAtSourceFirewall.hints[0]);
    assert.deepEqual(overlay.banner.legs.map((line) => line.split(':')[0]), ['ARP request', 'ARP reply', 'ICMP echo request', 'ICMP echo reply']);
    assert.match(overlay.banner.legs[3], /test-a:eth2 ✔ 1 \(lost here\)$/);

    const arp = traceOverlay(arpLostToMacFilter);
    assert.equal(arp.probe, 'arp', 'an ARP that was lost is what is drawn');
    assert.deepEqual(arp.request.map((p) => p.seen), [true, true, true, true, true, false]);
    assert.deepEqual(arp.reply, []);
    assert.deepEqual(arp.lostBetween, { leg: 'request', from: { host: 'ovs-b', iface: 'eth2' }, to: { host: 'test-b', iface: 'eth2' }, segment: 'cn-b' });
    assert.equal(arp.banner.cause, "mac-filter, proved: a segment the lab does not manage drops frames whose source MAC is not the port's own.");

    const fine = traceOverlay(delivered);
    assert.equal(fine.lostBetween, undefined);
    assert.deepEqual({ cause: fine.banner.cause, evidence: fine.banner.evidence, hint: fine.banner.hint }, { cause: undefined, evidence: [], hint: undefined });
    assert.equal(fine.reply.filter((p) => p.seen).length, 6);

    assert.equal(traceBanner(lostUnknownWithUnwatchedPoint).legs[0].includes('ovs-b:eth2 ⚠ not watched'), true);
  });
});
