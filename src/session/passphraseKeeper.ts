// Answers the pool's passphrase questions: a passphrase already proven right this session, then
// one the user stored, then the user. A stored one that proves wrong is deleted; one the user
// typed and that proved right may be remembered, if the user says so (asked once per key file).
// The passphrases themselves are never logged.

import type { PassphrasePrompt } from '../ssh/types';
import type { PassphraseStore } from './passphraseStore';

export type PassphraseRequest = Parameters<PassphrasePrompt>[0];

/** How the user is asked; the editor adapter shows an input box and a notification. */
export interface PassphraseQuestions {
  /** The passphrase, or undefined when the user declines. */
  ask(request: PassphraseRequest): PromiseLike<string | undefined>;
  /** True when the user wants the passphrase kept in secret storage. */
  offerToRemember(keyFile: string): PromiseLike<boolean>;
}

type Source = 'session' | 'store' | 'user';

interface Answer {
  source: Source;
  passphrase: string;
}

export class PassphraseKeeper {
  /** Passphrases that opened their key this session, by key file: other hosts need not ask again. */
  private readonly proven = new Map<string, string>();
  /** The last answer given for each host and key file, to know what a retry says was wrong. */
  private readonly answers = new Map<string, Answer>();
  private readonly offered = new Set<string>();
  /** One question at a time: a second input box would close the first. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: PassphraseStore,
    private readonly questions: PassphraseQuestions,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  readonly prompt: PassphrasePrompt = (request) => {
    const answer = this.queue.then(() => this.answer(request));
    this.queue = answer.catch(() => undefined);
    return answer;
  };

  readonly accepted = (keyFile: string, passphrase: string): void => {
    this.proven.set(keyFile, passphrase);
    let typedByUser = false;
    for (const [id, answer] of [...this.answers]) {
      if (!id.endsWith(`\n${keyFile}`)) continue;
      if (answer.source === 'user' && answer.passphrase === passphrase) typedByUser = true;
      this.answers.delete(id);
    }
    if (!typedByUser || this.offered.has(keyFile)) return;
    this.offered.add(keyFile);
    void this.offerToRemember(keyFile, passphrase);
  };

  /** Forgets the stored passphrases and those proven this session; returns how many were stored. */
  async forget(): Promise<number> {
    this.proven.clear();
    this.answers.clear();
    this.offered.clear();
    return this.store.clear();
  }

  private async answer(request: PassphraseRequest): Promise<string | undefined> {
    const id = `${request.host}\n${request.keyFile}`;
    const wrong = request.attempt > 1 ? this.answers.get(id) : undefined;
    if (wrong) await this.forgetWrong(request.keyFile, wrong);

    const proven = this.proven.get(request.keyFile);
    if (proven !== undefined && proven !== wrong?.passphrase) return this.give(id, { source: 'session', passphrase: proven });
    const stored = await this.storedPassphrase(request.keyFile);
    if (stored !== undefined && stored !== wrong?.passphrase) return this.give(id, { source: 'store', passphrase: stored });

    const typed = await this.questions.ask(request);
    if (typed === undefined) {
      this.answers.delete(id);
      return undefined;
    }
    return this.give(id, { source: 'user', passphrase: typed });
  }

  private give(id: string, answer: Answer): string {
    this.answers.set(id, answer);
    return answer.passphrase;
  }

  private async forgetWrong(keyFile: string, wrong: Answer): Promise<void> {
    if (wrong.source === 'session' && this.proven.get(keyFile) === wrong.passphrase) this.proven.delete(keyFile);
    if (wrong.source !== 'store') return;
    // Only if it is still the stored one: the user may have just remembered a right one.
    if ((await this.storedPassphrase(keyFile)) !== wrong.passphrase) return;
    try {
      await this.store.delete(keyFile);
      this.log(`The stored passphrase for ${keyFile} is wrong (the key changed?); it was deleted.`);
    } catch (error) {
      this.log(`Could not delete the wrong stored passphrase for ${keyFile}: ${(error as Error).message}`);
    }
  }

  /** Secret storage can fail (no keychain on the machine): then there is simply nothing stored. */
  private async storedPassphrase(keyFile: string): Promise<string | undefined> {
    try {
      return await this.store.get(keyFile);
    } catch (error) {
      this.log(`Could not read stored passphrases: ${(error as Error).message}`);
      return undefined;
    }
  }

  private async offerToRemember(keyFile: string, passphrase: string): Promise<void> {
    try {
      if (!(await this.questions.offerToRemember(keyFile))) return;
      await this.store.set(keyFile, passphrase);
      this.log(`Stored the passphrase for ${keyFile} in secret storage.`);
    } catch (error) {
      this.log(`Could not store the passphrase for ${keyFile}: ${(error as Error).message}`);
    }
  }
}
