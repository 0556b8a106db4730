// The words of the passphrase questions, kept apart from the input box that shows them.

import type { PassphraseRequest } from '../session/passphraseKeeper';

export function passphrasePromptText(request: PassphraseRequest): string {
  return `Passphrase for ${request.keyFile} (${request.host})`;
}

/** The input box title says when the last passphrase was wrong, so the user knows why it asks again. */
export function passphrasePromptTitle(request: PassphraseRequest): string {
  return request.attempt > 1 ? `Overlay Lab: wrong passphrase, try again (attempt ${request.attempt})` : 'Overlay Lab: unlock an SSH key';
}

export function rememberPassphraseQuestion(keyFile: string): string {
  return `Remember the passphrase for ${keyFile} in the system keychain? Overlay Lab will then unlock this key without asking.`;
}

export function forgotPassphrasesMessage(stored: number, closedConnections: boolean): string {
  const forgot = stored === 0 ? 'No stored passphrases to forget.' : `Forgot ${stored} stored passphrase${stored === 1 ? '' : 's'}.`;
  return closedConnections ? `${forgot} SSH connections were closed so that no passphrase stays in memory; the next connection asks again.` : forgot;
}
