import { strict as assert } from 'node:assert';
import { forgotPassphrasesMessage, passphrasePromptText, passphrasePromptTitle } from '../../../src/views/passphraseModel';

describe('passphrase questions', () => {
  const request = { host: 'ovs-a', keyFile: '/home/me/.ssh/id_ed25519', attempt: 1 };

  it('names the key file and the host', () => {
    assert.equal(passphrasePromptText(request), 'Passphrase for /home/me/.ssh/id_ed25519 (ovs-a)');
  });

  it('says why it asks again', () => {
    assert.doesNotMatch(passphrasePromptTitle(request), /wrong/);
    assert.match(passphrasePromptTitle({ ...request, attempt: 2 }), /wrong passphrase/);
  });

  it('reports what was forgotten', () => {
    assert.equal(forgotPassphrasesMessage(0, false), 'No stored passphrases to forget.');
    assert.equal(forgotPassphrasesMessage(1, false), 'Forgot 1 stored passphrase.');
    assert.match(forgotPassphrasesMessage(2, true), /^Forgot 2 stored passphrases\. SSH connections were closed/);
  });
});
