// SSH key passphrases the user chose to keep, in the editor's secret storage (the OS keychain),
// one secret per absolute key file path. Secret storage cannot list its keys, so the key file
// paths (not secret) are kept in a list beside it, for "forget them all".

import { resolve } from 'node:path';

export const PASSPHRASE_SECRET_PREFIX = 'overlayLab.passphrase:';

export function passphraseSecretKey(keyFile: string): string {
  return `${PASSPHRASE_SECRET_PREFIX}${resolve(keyFile)}`;
}

/** The part of the editor's SecretStorage used here. */
export interface SecretStorageLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Where the list of key files with a stored passphrase lives (the editor's global state). */
export interface KeyFileList {
  get(): readonly string[];
  set(keyFiles: readonly string[]): PromiseLike<void>;
}

export class PassphraseStore {
  constructor(
    private readonly secrets: SecretStorageLike,
    private readonly keyFiles: KeyFileList,
  ) {}

  async get(keyFile: string): Promise<string | undefined> {
    return this.secrets.get(passphraseSecretKey(keyFile));
  }

  async set(keyFile: string, passphrase: string): Promise<void> {
    await this.secrets.store(passphraseSecretKey(keyFile), passphrase);
    const path = resolve(keyFile);
    const listed = this.keyFiles.get();
    if (!listed.includes(path)) await this.keyFiles.set([...listed, path]);
  }

  async delete(keyFile: string): Promise<void> {
    await this.secrets.delete(passphraseSecretKey(keyFile));
    const path = resolve(keyFile);
    await this.keyFiles.set(this.keyFiles.get().filter((listed) => listed !== path));
  }

  /** Deletes every stored passphrase; returns how many there were. */
  async clear(): Promise<number> {
    const listed = [...this.keyFiles.get()];
    for (const keyFile of listed) await this.secrets.delete(passphraseSecretKey(keyFile));
    await this.keyFiles.set([]);
    return listed.length;
  }
}
