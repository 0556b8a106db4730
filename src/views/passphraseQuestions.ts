// Asks for SSH key passphrases in the editor: a password input box that stays open when focus
// moves (the user may go and look the passphrase up), and a quiet offer to remember it.

import * as vscode from 'vscode';
import type { PassphraseQuestions } from '../session/passphraseKeeper';
import { passphrasePromptText, passphrasePromptTitle, rememberPassphraseQuestion } from './passphraseModel';

const REMEMBER = 'Remember';
const NOT_NOW = 'Not now';

export const editorPassphraseQuestions: PassphraseQuestions = {
  ask: (request) =>
    vscode.window.showInputBox({
      password: true,
      ignoreFocusOut: true,
      title: passphrasePromptTitle(request),
      prompt: passphrasePromptText(request),
    }),
  // Not modal: a connection should not wait for this answer, and ignoring it means "not now".
  offerToRemember: async (keyFile) => (await vscode.window.showInformationMessage(rememberPassphraseQuestion(keyFile), REMEMBER, NOT_NOW)) === REMEMBER,
};
