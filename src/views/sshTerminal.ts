// "Open SSH Terminal": an editor terminal on a lab host's shell, over the host's pooled connection.
// SshTerminalSession does the work; this only connects it to a Pseudoterminal.

import * as vscode from 'vscode';
import { SshTerminalSession, type OpenShell } from '../session/sshTerminal';

export function openSshTerminal(host: string, openShell: OpenShell): vscode.Terminal {
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number | void>();
  const session = new SshTerminalSession(host, openShell, { write: (text) => written.fire(text), close: (code) => closed.fire(code) });
  const pty: vscode.Pseudoterminal = {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open: (size) => session.start(size && { rows: size.rows, cols: size.columns }),
    close: () => {
      session.closedByUser();
      written.dispose();
      closed.dispose();
    },
    handleInput: (data) => session.input(data),
    setDimensions: (size) => session.resize({ rows: size.rows, cols: size.columns }),
  };
  const terminal = vscode.window.createTerminal({ name: `ssh ${host}`, pty, iconPath: new vscode.ThemeIcon('terminal') });
  terminal.show();
  return terminal;
}
