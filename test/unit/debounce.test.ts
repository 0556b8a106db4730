import { strict as assert } from 'node:assert';
import { Debouncer } from '../../src/util/debounce';
import { ManualClock } from '../support/manualClock';

describe('Debouncer', () => {
  it('acts once, a delay after the last of a burst, for each key', () => {
    const clock = new ManualClock();
    const debouncer = new Debouncer<string>(20, clock);
    const ran: string[] = [];
    for (let i = 0; i < 5; i++) {
      debouncer.schedule('a', () => ran.push(`a${i}`));
      clock.advance(10);
    }
    debouncer.schedule('b', () => ran.push('b'));
    assert.ok(debouncer.isPending('a'));
    clock.advance(9);
    assert.deepEqual(ran, [], 'each schedule of a restarted its wait');
    clock.advance(1);
    assert.deepEqual(ran, ['a4']);
    assert.ok(!debouncer.isPending('a'));
    clock.advance(9);
    assert.deepEqual(ran, ['a4']);
    clock.advance(1);
    assert.deepEqual(ran, ['a4', 'b']);
    assert.equal(clock.pending, 0);
  });

  it('does nothing once cancelled or disposed', () => {
    const clock = new ManualClock();
    const debouncer = new Debouncer<string>(10, clock);
    let ran = 0;
    debouncer.schedule('a', () => ran++);
    debouncer.cancel('a');
    assert.ok(!debouncer.isPending('a'));
    debouncer.schedule('b', () => ran++);
    debouncer.dispose();
    clock.advance(100);
    assert.equal(ran, 0);
    assert.equal(clock.pending, 0, 'no timer left behind');
  });
});
