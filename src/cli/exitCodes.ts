// Exit statuses of `bin/overlay-lab` (cli.md): the contract scripts and CI jobs rely on.
export const EXIT_OK = 0;
/** The lab or the network is not as asked: diagnostics, a failed host, an undelivered trace. */
export const EXIT_NOT_AS_ASKED = 1;
export const EXIT_USAGE = 2;

/** Thrown for a wrong invocation; main() prints the message and exits 2. */
export class UsageError extends Error {}
