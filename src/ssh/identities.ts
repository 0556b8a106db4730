// The authentication methods to try, in OpenSSH's order: the agent's keys, then each identity
// file. Encrypted files are opened with a passphrase the user gives (checked locally before use,
// up to three tries), or skipped with a note when nobody can be asked.

import { readFile } from 'node:fs/promises';
import { utils, type ParsedKey } from 'ssh2';
import type { PassphrasePrompt, SshEndpoint } from './types';

export type AuthMethod = { type: 'agent'; username: string; agent: string } | { type: 'publickey'; username: string; key: ParsedKey; file: string };

export interface IdentityOptions {
  agentSocket?: string;
  prompt?: PassphrasePrompt;
  /** Passphrases already given this session, by key file; shared across hosts. */
  passphrases: Map<string, string>;
  /** Told when a passphrase proved right, so the editor may offer to keep it in SecretStorage. */
  onPassphraseAccepted?: (keyFile: string, passphrase: string) => void;
}

const MAX_PASSPHRASE_TRIES = 3;

function isEncryptedKeyError(error: Error): boolean {
  return /encrypted|passphrase/i.test(error.message);
}

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | Error {
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

/** Yields methods one at a time, so a passphrase is asked only when the key is really tried. */
export class IdentityQueue {
  /** What was tried or skipped, for the message when every method is refused. */
  readonly tried: string[] = [];
  readonly skipped: string[] = [];
  private step = 0;

  constructor(
    private readonly endpoint: SshEndpoint,
    private readonly options: IdentityOptions,
  ) {}

  async next(): Promise<AuthMethod | undefined> {
    const username = this.endpoint.user;
    if (this.step === 0) {
      this.step = 1;
      if (this.options.agentSocket && !this.endpoint.identitiesOnly) {
        this.tried.push('ssh-agent');
        return { type: 'agent', username, agent: this.options.agentSocket };
      }
    }
    while (this.step - 1 < this.endpoint.identityFiles.length) {
      const file = this.endpoint.identityFiles[this.step - 1];
      this.step += 1;
      const key = await this.load(file);
      if (key) {
        this.tried.push(file);
        return { type: 'publickey', username, key, file };
      }
    }
    return undefined;
  }

  private async load(file: string): Promise<ParsedKey | undefined> {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      this.skipped.push(`${file} (cannot be read)`);
      return undefined;
    }
    const known = this.options.passphrases.get(file);
    const plain = firstKey(utils.parseKey(data, known));
    if (!(plain instanceof Error)) return plain;
    if (!isEncryptedKeyError(plain)) {
      this.skipped.push(`${file} (not a private key: ${plain.message})`);
      return undefined;
    }
    if (!this.options.prompt) {
      this.skipped.push(`${file} (encrypted, and no passphrase can be asked here: load it with ssh-add)`);
      return undefined;
    }
    for (let attempt = 1; attempt <= MAX_PASSPHRASE_TRIES; attempt++) {
      const passphrase = await this.options.prompt({ host: this.endpoint.label, keyFile: file, attempt });
      if (passphrase === undefined) break;
      const key = firstKey(utils.parseKey(data, passphrase));
      if (!(key instanceof Error)) {
        this.options.passphrases.set(file, passphrase);
        this.options.onPassphraseAccepted?.(file, passphrase);
        return key;
      }
    }
    this.skipped.push(`${file} (encrypted; no right passphrase given)`);
    return undefined;
  }
}
