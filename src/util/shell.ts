// The one function that turns an argument list into POSIX shell text.
// Every remote command is built as an argument list and rendered here; nothing else
// concatenates values into shell text (the lab's own `scripts.*.run` is the one exception,
// and it is run as written, on purpose).

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote one word so that a POSIX shell reads it back unchanged. */
export function quoteWord(word: string): string {
  if (word === '') return "''";
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Render an argument list as one shell command line. */
export function shellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('shellCommand: empty argument list');
  return argv.map(quoteWord).join(' ');
}
