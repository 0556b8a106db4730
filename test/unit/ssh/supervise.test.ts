// The supervisor, run by a local sh as sshd would run it: the command ends when stdin ends, and
// with a heartbeat timeout also when the heartbeats stop while stdin stays open (a silent link).

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { supervisedCommand } from '../../../src/ssh/supervise';

/** Pids whose command line holds `marker`. */
function running(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(what: string, test: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the remote supervisor (local sh)', function () {
  this.timeout(15_000);

  it('keeps the command while heartbeats come, and ends it once they stop, stdin still open', async () => {
    // A duration no other sleep has, so that the test finds only its own process.
    const marker = `3000.${process.pid}1`;
    const child = spawn('sh', ['-c', supervisedCommand(`sleep ${marker}`, { heartbeatSeconds: 1 })], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until('the command to start', () => running(marker).length === 1, 5000);
    const beats = setInterval(() => child.stdin!.write('.'), 200);
    // Three heartbeat timeouts' worth of beats: still running.
    const keptUntil = Date.now() + 3000;
    await until('3 s of heartbeats', () => Date.now() >= keptUntil, 5000);
    assert.equal(running(marker).length, 1, 'alive while heartbeats come');
    clearInterval(beats);
    const stoppedAt = Date.now();
    await until('the command to be ended', () => running(marker).length === 0, 6000);
    assert.ok(Date.now() - stoppedAt < 4000, `ended ${Date.now() - stoppedAt} ms after the last heartbeat`);
    assert.notEqual(await exited, 0);
    child.stdin!.end();
  });

  it('without a heartbeat timeout, waits for EOF only', async () => {
    const marker = `3000.${process.pid}2`;
    const child = spawn('sh', ['-c', supervisedCommand(`sleep ${marker}`)], { stdio: ['pipe', 'ignore', 'ignore'] });
    await until('the command to start', () => running(marker).length === 1, 5000);
    const quietUntil = Date.now() + 1500;
    await until('1.5 s of silence', () => Date.now() >= quietUntil, 5000);
    assert.equal(running(marker).length, 1, 'silence alone does not end it');
    child.stdin!.end();
    await until('the command to be ended after EOF', () => running(marker).length === 0, 5000);
  });

  it('puts sudo in front of the supervisor itself, so that it may kill what runs as root', () => {
    assert.match(supervisedCommand('tcpdump -i eth0', { sudo: true, heartbeatSeconds: 20 }), /^sudo -n \$\{OVS_RUNDIR\+.* sh -c '[^]*' overlay-lab 'tcpdump -i eth0' 20$/);
    assert.throws(() => supervisedCommand('true', { heartbeatSeconds: -1 }));
  });
});
