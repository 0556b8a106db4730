import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { Debouncer } from '../../../src/views/debounce';

describe('Debouncer', () => {
  it('acts once, after the last of a burst, for each key', async () => {
    const debouncer = new Debouncer<string>(20);
    const ran: string[] = [];
    for (let i = 0; i < 5; i++) debouncer.schedule('a', () => ran.push(`a${i}`));
    debouncer.schedule('b', () => ran.push('b'));
    assert.ok(debouncer.isPending('a'));
    await sleep(50);
    assert.deepEqual(ran.sort(), ['a4', 'b']);
    assert.ok(!debouncer.isPending('a'));
  });

  it('does nothing once cancelled or disposed', async () => {
    const debouncer = new Debouncer<string>(10);
    let ran = 0;
    debouncer.schedule('a', () => ran++);
    debouncer.cancel('a');
    debouncer.schedule('b', () => ran++);
    debouncer.dispose();
    await sleep(30);
    assert.equal(ran, 0);
  });
});
