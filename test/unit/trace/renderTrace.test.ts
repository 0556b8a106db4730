import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTrace } from '../../../src/cli/traceCommand';
import type { TraceResultV2 } from '../../../src/trace/traceResultV2';

const result = (name: string): TraceResultV2 => JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'trace', `${name}.json`), 'utf8')).result;

describe('trace as text (the CLI without --json)', () => {
  it('prints both legs per probe, the place with its leg, the cause with its evidence, and the hints', () => {
    const text = renderTrace(result('host-firewall'));
    const lines = text.split('\n');
    assert.match(lines[0], /^trace test-a:eth2 \(10\.213\.50\.11\) -> 10\.213\.50\.12: NOT DELIVERED \(\d\.\d s\)$/);
    assert.equal(lines[1], 'probes sent: ARP, then ICMP echo');
    assert.deepEqual(lines.filter((l) => l.endsWith(':') && !l.startsWith(' ')), ['request leg, ARP request:', 'reply leg, ARP reply:', 'request leg, echo request:', 'reply leg, echo reply:', 'what to do:']);
    assert.ok(lines.includes('lost at test-b:eth2 on the reply leg (echo reply)'), text);
    assert.ok(lines.includes('cause: host-firewall (proved)'), text);
    assert.match(text, /^ {2}- the firewall rule "icmp type echo-request counter packets 1 drop" \(nft inet olt_fw input handle \d+, input\) counted 0→1 packets during the trace$/m);
    assert.match(text, /^ {2}✘ test-b:eth2 +1?\s*0$/m);
  });

  it('says delivered, with every point of both legs seen', () => {
    // healthy.json's frames with ping's success (its own ping gave up just before the answer; see the fixtures' README).
    const text = renderTrace({ ...result('healthy'), delivered: true, lostBetween: null, cause: null, hints: [] });
    assert.match(text, /^trace test-a:eth2 \(10\.213\.50\.11\) -> 10\.213\.50\.12: delivered/);
    assert.ok(!text.includes('✘'));
    assert.ok(!text.includes('cause:'));
    assert.match(text, /^reply leg, echo reply:$/m);
  });
});
