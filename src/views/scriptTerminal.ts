// A lab script's run in an editor terminal ("Run Script", and the tasks' CustomExecution).
// ScriptTerminalSession does the work; this only connects it to a Pseudoterminal.

import * as vscode from 'vscode';
import { ScriptTerminalSession, type PrepareScriptRun, type ScriptTerminalOptions } from '../session/scriptTerminal';

export function scriptPseudoterminal(prepare: PrepareScriptRun, options: ScriptTerminalOptions): vscode.Pseudoterminal {
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  const session = new ScriptTerminalSession(prepare, { write: (text) => written.fire(text), close: (code) => closed.fire(code) }, options);
  return {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open: () => session.start(),
    close: () => {
      // Closing the terminal (or terminating the task) cancels the run: the remote processes end.
      session.closedByUser();
      written.dispose();
      closed.dispose();
    },
    handleInput: (data) => session.input(data),
  };
}

/** A terminal of its own per run, named after the script; it waits for a key once the run ends. */
export function openScriptTerminal(script: string, prepare: PrepareScriptRun): vscode.Terminal {
  const pty = scriptPseudoterminal(prepare, { waitForKey: true });
  const terminal = vscode.window.createTerminal({ name: `overlay-lab: ${script}`, pty, iconPath: new vscode.ThemeIcon('run') });
  terminal.show();
  return terminal;
}
