// Asks for a key's passphrase on the terminal, echo off. Without a terminal there is nobody to
// ask: the key is skipped and the authentication error says how to use it (ssh-add).

import type { PassphrasePrompt } from '../ssh/types';

export function terminalPassphrasePrompt(): PassphrasePrompt | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // One question at a time, even when several hosts need the same key at once.
  return (request) => {
    const ask = queue.then(() => readHidden(`Enter passphrase for ${request.keyFile} (${request.host})${request.attempt > 1 ? ', again' : ''}: `));
    queue = ask.catch(() => undefined);
    return ask;
  };
}

function readHidden(question: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let answer = '';
    const done = (value: string | undefined) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(answer);
        if (char === '\u0003' || char === '\u0004') return done(undefined); // Ctrl-C, Ctrl-D: declined
        if (char === '\u007f' || char === '\b') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    stdin.on('data', onData);
  });
}
