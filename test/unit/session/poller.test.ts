import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { Poller } from '../../../src/session/poller';

describe('Poller', () => {
  it('ticks every interval only while visible', async () => {
    let ticks = 0;
    const poller = new Poller(() => ticks++);
    poller.setInterval(20);
    await sleep(50);
    assert.equal(ticks, 0, 'hidden: no tick');
    poller.setVisible(true);
    await sleep(75);
    // At once (never ticked), then about every 20 ms.
    assert.ok(ticks >= 2 && ticks <= 5, `${ticks} ticks`);
    poller.setVisible(false);
    const seen = ticks;
    await sleep(50);
    assert.equal(ticks, seen);
    poller.dispose();
  });

  it('ticks at once when shown again after more than an interval, not before', async () => {
    let ticks = 0;
    const poller = new Poller(() => ticks++);
    poller.setInterval(40);
    poller.setVisible(true);
    await sleep(5);
    assert.equal(ticks, 1);
    poller.setVisible(false);
    poller.setVisible(true);
    await sleep(5);
    assert.equal(ticks, 1, 'shown again within the interval: waits');
    poller.setVisible(false);
    await sleep(50);
    poller.setVisible(true);
    await sleep(5);
    assert.equal(ticks, 2);
    poller.dispose();
  });

  it('stops at 0, and a reset pushes the next tick an interval away', async () => {
    let ticks = 0;
    const poller = new Poller(() => ticks++);
    poller.setVisible(true);
    poller.setInterval(0);
    await sleep(20);
    assert.equal(ticks, 0);
    assert.equal(poller.running, false);
    poller.reset();
    poller.setInterval(30);
    await sleep(15);
    assert.equal(ticks, 0);
    await sleep(30);
    assert.equal(ticks, 1);
    poller.dispose();
  });
});
