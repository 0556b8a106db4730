// What "Check Connections" tells the user: how many hosts answered, and for each one that did
// not, why, in a line that starts with the host's name.

export interface ConnectionOutcome {
  host: string;
  /** Absent when the host was reached. */
  error?: string;
}

export interface ConnectionReport {
  reachable: number;
  total: number;
  /** One line per unreachable host, each naming it. */
  failures: string[];
  /** The notification text. */
  message: string;
}

/** `host: message`, unless the message already starts with the host's name (SSH errors do). */
export function failureLine(host: string, message: string): string {
  const text = message.trim() || 'failed for no reason given';
  return text.startsWith(`${host}:`) || text.startsWith(`${host} `) ? text : `${host}: ${text}`;
}

export function connectionReport(labName: string, outcomes: readonly ConnectionOutcome[]): ConnectionReport {
  const failures = outcomes.filter((outcome) => outcome.error !== undefined).map((outcome) => failureLine(outcome.host, outcome.error ?? ''));
  const total = outcomes.length;
  const reachable = total - failures.length;
  const headline =
    total === 0 ? `${labName}: the lab has no hosts.` : reachable === total ? `${labName}: all ${total} host${total === 1 ? '' : 's'} reachable.` : `${labName}: ${reachable}/${total} hosts reachable.`;
  // Each failure ends as a sentence, so that one host's message cannot run into the next host's name.
  const sentences = failures.map((line) => (/[.!?]$/.test(line) ? line : `${line}.`));
  return { reachable, total, failures, message: [headline, ...sentences].join(' ') };
}
