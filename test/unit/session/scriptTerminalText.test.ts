import { strict as assert } from 'node:assert';
import type { ScriptHostResult } from '../../../src/scripts/runLabScript';
import {
  attributesAfter,
  formatElapsed,
  formatLine,
  headerLine,
  hostOutcome,
  hostPrefix,
  hostSummaryLine,
  runExitCode,
  runSummaryLine,
  terminalText,
} from '../../../src/session/scriptTerminalText';

const HOSTS = ['ovs-a', 'ovs-b', 'test-a2'];
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

function result(host: string, fields: Partial<ScriptHostResult>): ScriptHostResult {
  return { host, status: 'ok', code: 0, elapsedMs: 1234, ...fields };
}

describe('script terminal text', () => {
  it('prefixes a host padded to the widest target, in a colour per host', () => {
    assert.equal(hostPrefix('ovs-a', HOSTS), '\x1b[36movs-a   |\x1b[0m ');
    assert.equal(hostPrefix('ovs-b', HOSTS), '\x1b[35movs-b   |\x1b[0m ');
    assert.equal(hostPrefix('test-a2', HOSTS), '\x1b[33mtest-a2 |\x1b[0m ');
    const many = Array.from({ length: 9 }, (_, index) => `h${index}`);
    assert.equal(hostPrefix('h8', many), hostPrefix('h0', many).replace('h0', 'h8'), 'the colours go round');
  });

  it('ends a line with CRLF and keeps the remote colours', () => {
    const prefix = hostPrefix('ovs-a', HOSTS);
    assert.deepEqual(formatLine(prefix, 'hello'), { text: `${prefix}hello\r\n`, attributes: '' });
    const coloured = formatLine(prefix, '\x1b[32mok\x1b[0m done');
    assert.deepEqual(coloured, { text: `${prefix}\x1b[32mok\x1b[0m done\r\n`, attributes: '' });
    assert.equal(formatLine(prefix, 'crlf from a pty\r').text, `${prefix}crlf from a pty\r\n`);
  });

  it('carries attributes left on to the host’s next line, never into another host’s', () => {
    const a = hostPrefix('ovs-a', HOSTS);
    const first = formatLine(a, '\x1b[1;31merror: something');
    assert.equal(first.text, `${a}\x1b[1;31merror: something\x1b[0m\r\n`, 'reset at the end of the line');
    assert.equal(first.attributes, '\x1b[1;31m');
    const next = formatLine(a, 'still red\x1b[0m', first.attributes);
    assert.equal(next.text, `\x1b[0m${a}\x1b[1;31mstill red\x1b[0m\r\n`);
    assert.equal(next.attributes, '');
  });

  it('follows SGR resets, including inside a sequence and 256-colour numbers that are 0', () => {
    assert.equal(attributesAfter('', '\x1b[1m\x1b[31m'), '\x1b[1m\x1b[31m');
    assert.equal(attributesAfter('\x1b[1m', 'x\x1b[m'), '');
    assert.equal(attributesAfter('\x1b[1m', '\x1b[0;32m'), '\x1b[32m');
    assert.equal(attributesAfter('', '\x1b[38;5;0m'), '\x1b[38;5;0m', 'colour 0 is no reset');
    assert.equal(attributesAfter('', '\x1b[48;2;0;0;0m'), '\x1b[48;2;0;0;0m');
    assert.equal(attributesAfter('', '\x1b[1;;4m'), '\x1b[4m', 'an empty parameter is a reset');
    const flood = '\x1b[1m'.repeat(100);
    assert.equal(attributesAfter('', flood), '\x1b[1m'.repeat(16), 'bounded');
  });

  it('writes the host’s name again after a carriage return inside a line (a progress bar)', () => {
    const a = hostPrefix('ovs-a', HOSTS);
    assert.equal(formatLine(a, ' 10%\r 50%\r100%').text, `${a} 10%\r${a} 50%\r${a}100%\r\n`);
  });

  it('turns our own messages into terminal lines', () => {
    assert.equal(terminalText('a\nb\r\nc'), 'a\r\nb\r\nc');
    assert.match(plain(headerLine('versions', ['ovs-a', 'ovs-b'])), /^Running versions on 2 hosts \(ovs-a, ovs-b\)\. Ctrl\+C stops it/);
    assert.match(plain(headerLine('versions', ['ovs-a'])), /^Running versions on ovs-a\./);
  });

  it('formats elapsed times', () => {
    assert.equal(formatElapsed(350), '350 ms');
    assert.equal(formatElapsed(1234), '1.2 s');
    assert.equal(formatElapsed(12_345), '12 s');
    assert.equal(formatElapsed(125_000), '2 min 5 s');
  });

  it('closes each host with how it ended', () => {
    assert.equal(hostOutcome(result('ovs-a', {})).text, '✓ ok (1.2 s)');
    assert.equal(hostOutcome(result('ovs-a', { status: 'failed', code: 2 })).text, '✗ exited with status 2 (1.2 s)');
    assert.equal(hostOutcome(result('ovs-a', { status: 'failed', code: null, signal: 'KILL' })).text, '✗ was killed by KILL (1.2 s)');
    assert.equal(hostOutcome(result('ovs-a', { status: 'timeout', code: null, message: 'ovs-a: script x was stopped after its timeout of 5 s.' })).text, '⏱ timeout: script x was stopped after its timeout of 5 s.');
    assert.equal(hostOutcome(result('test-a2', { status: 'unreachable', code: null, message: 'test-a2: cannot reach its jump host ovs-a: connection refused' })).text, '✗ unreachable: cannot reach its jump host ovs-a: connection refused');
    assert.equal(hostOutcome(result('ovs-b', { status: 'cancelled', code: null })).text, '■ cancelled: stopped on the host');
    assert.equal(plain(hostSummaryLine(result('ovs-b', { status: 'failed', code: 1 }), HOSTS)), 'ovs-b   | ✗ exited with status 1 (1.2 s)\r\n');
    assert.equal(plain(hostSummaryLine(result('ovs-b', { status: 'unreachable', code: null, message: 'ovs-b: two\nlines' }), HOSTS)), 'ovs-b   | ✗ unreachable: two lines\r\n', 'one line');
  });

  it('ends with the run’s status, and exits 0 only when every host succeeded', () => {
    const all = [result('ovs-a', {}), result('ovs-b', {})];
    assert.equal(plain(runSummaryLine('versions', all, false)), '✓ versions succeeded on all 2 hosts.\r\n');
    assert.equal(plain(runSummaryLine('versions', [all[0]], false)), '✓ versions succeeded on ovs-a.\r\n');
    assert.equal(runExitCode(all), 0);
    const mixed = [result('ovs-a', {}), result('ovs-b', { status: 'failed', code: 1 }), result('test-a2', { status: 'unreachable', code: null }), result('x', { status: 'timeout', code: null })];
    assert.equal(plain(runSummaryLine('versions', mixed, false)), '✗ versions succeeded on 1 of 4 hosts; failed: ovs-b; timed out: x; unreachable: test-a2.\r\n');
    assert.equal(runExitCode(mixed), 1);
    const cancelled = [result('ovs-a', {}), result('ovs-b', { status: 'cancelled', code: null })];
    assert.equal(plain(runSummaryLine('versions', cancelled, true)), '■ versions was cancelled: 1 of 2 hosts had finished it.\r\n');
    assert.equal(runExitCode(cancelled), 1);
    assert.equal(runExitCode([]), 1);
  });
});
