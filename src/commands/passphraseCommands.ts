// "Forget Stored Passphrases": deletes every SSH key passphrase kept in secret storage. The pools
// also hold the passphrases they were given, and only closing them drops those: so they close.

import * as vscode from 'vscode';
import type { LabSession } from '../session/labSession';
import type { PassphraseKeeper } from '../session/passphraseKeeper';
import { forgotPassphrasesMessage } from '../views/passphraseModel';

export function registerPassphraseCommands(session: LabSession, keeper: PassphraseKeeper, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('overlayLab.forgetPassphrases', async () => {
      let stored: number;
      try {
        stored = await keeper.forget();
      } catch (error) {
        log.error(`Could not delete the stored passphrases: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Overlay Lab: could not delete the stored passphrases: ${(error as Error).message}`);
        return;
      }
      const hadPools = session.pools.hasAny();
      session.pools.closeAll();
      const message = forgotPassphrasesMessage(stored, hadPools);
      log.info(message);
      void vscode.window.showInformationMessage(message);
    }),
  ];
}
