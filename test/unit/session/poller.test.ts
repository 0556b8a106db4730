import { strict as assert } from 'node:assert';
import { Poller } from '../../../src/session/poller';
import { ManualClock } from '../../support/manualClock';

describe('Poller', () => {
  it('ticks every interval only while visible', () => {
    const clock = new ManualClock();
    let ticks = 0;
    const poller = new Poller(() => ticks++, clock);
    poller.setInterval(20);
    clock.advance(50);
    assert.equal(ticks, 0, 'hidden: no tick');
    poller.setVisible(true);
    clock.advance(0);
    assert.equal(ticks, 1, 'never ticked: at once');
    clock.advance(19);
    assert.equal(ticks, 1);
    clock.advance(1);
    assert.equal(ticks, 2);
    clock.advance(40);
    assert.equal(ticks, 4, 'then every 20 ms');
    poller.setVisible(false);
    assert.equal(poller.running, false);
    clock.advance(100);
    assert.equal(ticks, 4);
    poller.dispose();
  });

  it('ticks at once when shown again after more than an interval, not before', () => {
    const clock = new ManualClock();
    let ticks = 0;
    const poller = new Poller(() => ticks++, clock);
    poller.setInterval(40);
    poller.setVisible(true);
    clock.advance(5);
    assert.equal(ticks, 1);
    poller.setVisible(false);
    poller.setVisible(true);
    clock.advance(5);
    assert.equal(ticks, 1, 'shown again within the interval: waits');
    clock.advance(30);
    assert.equal(ticks, 2, 'an interval after the last tick');
    poller.setVisible(false);
    clock.advance(50);
    poller.setVisible(true);
    clock.advance(0);
    assert.equal(ticks, 3, 'shown again after more than an interval: at once');
    poller.dispose();
    assert.equal(clock.pending, 0);
  });

  it('stops at 0, and a reset pushes the next tick an interval away', () => {
    const clock = new ManualClock();
    let ticks = 0;
    const poller = new Poller(() => ticks++, clock);
    poller.setVisible(true);
    poller.setInterval(0);
    clock.advance(20);
    assert.equal(ticks, 0);
    assert.equal(poller.running, false);
    poller.reset();
    poller.setInterval(30);
    clock.advance(29);
    assert.equal(ticks, 0);
    clock.advance(1);
    assert.equal(ticks, 1);
    clock.advance(20);
    poller.reset();
    clock.advance(29);
    assert.equal(ticks, 1, 'a reset 20 ms after the tick: the next is 30 ms after the reset');
    clock.advance(1);
    assert.equal(ticks, 2);
    poller.dispose();
  });
});
