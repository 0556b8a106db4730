import { strict as assert } from 'node:assert';
import { addressChoices, bareAddress } from '../../../src/commands/addressChoices';

describe('Copy Address choices', () => {
  it('copies an address without its prefix length', () => {
    assert.equal(bareAddress('10.213.50.1/24'), '10.213.50.1');
    assert.equal(bareAddress('2001:db8::1/64'), '2001:db8::1');
    assert.equal(bareAddress('10.213.0.11'), '10.213.0.11');
  });

  it('offers each address bare, then as CIDR', () => {
    assert.deepEqual(addressChoices(['10.0.0.1/24', '2001:db8::1/64', 'h.example']), ['10.0.0.1', '10.0.0.1/24', '2001:db8::1', '2001:db8::1/64', 'h.example']);
  });
});
