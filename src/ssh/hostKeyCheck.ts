// Host key checking as OpenSSH does it, before any authentication: a known key passes; a changed
// or revoked key is refused under every setting; an unknown key is refused under `yes`, and
// recorded under `accept-new` and `no`.

import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StrictHostKeyChecking } from '../lab/types';
import { SshError } from './errors';
import {
  fingerprintSha256,
  KnownHostEntry,
  keyTypeLabel,
  keyTypeOfBlob,
  knownHostsLine,
  knownKeyTypes,
  matchHostKey,
  parseKnownHosts,
} from './knownHosts';

export interface HostKeyRequest {
  /** The lab host the connection is for, for messages. */
  host: string;
  /** The name looked up in known_hosts (`host` or `[host]:port`). */
  lookupName: string;
  blob: Buffer;
  strict: StrictHostKeyChecking;
  /** User files first; a new key is written to the first one. */
  files: string[];
}

export type HostKeyVerdict =
  | { accept: true; record?: { file: string; line: string }; notice?: string }
  | { accept: false; error: SshError };

interface LoadedEntry extends KnownHostEntry {
  file: string;
}

/** Decides on a presented key from the already-read known_hosts files. Pure. */
export function judgeHostKey(request: HostKeyRequest, entries: LoadedEntry[]): HostKeyVerdict {
  const keyType = keyTypeOfBlob(request.blob);
  const label = keyTypeLabel(keyType);
  const fingerprint = fingerprintSha256(request.blob);
  const match = matchHostKey(entries, request.lookupName, request.blob);
  if (match.status === 'known') return { accept: true };
  if (match.status === 'revoked') {
    const where = `${(match.entry as LoadedEntry).file}:${match.entry.line}`;
    return { accept: false, error: new SshError('host-key-revoked', request.host, `${request.host}: the ${label} host key of ${request.lookupName} (${fingerprint}) is marked as revoked in ${where}. Refusing to connect.`) };
  }
  if (match.status === 'changed') {
    const entry = match.entry as LoadedEntry;
    return {
      accept: false,
      error: new SshError(
        'host-key-changed',
        request.host,
        `${request.host}: REMOTE HOST IDENTIFICATION HAS CHANGED! The ${label} key sent by ${request.lookupName} has fingerprint ${fingerprint}, ` +
          `but ${entry.file}:${entry.line} holds another ${label} key for it. Someone could be eavesdropping on you, or the host was reinstalled. ` +
          `If you trust the new key, remove the old one with: ssh-keygen -R '${request.lookupName}' -f '${entry.file}'`,
      ),
    };
  }
  if (request.strict === 'yes') {
    return {
      accept: false,
      error: new SshError(
        'host-key-unknown',
        request.host,
        `${request.host}: no ${label} host key is known for ${request.lookupName} and you have requested strict checking. ` +
          `The ${label} key fingerprint is ${fingerprint}. If you trust it, connect once with strictHostKeyChecking: accept-new ` +
          `(or --accept-new-host-keys), or add it with ssh-keyscan.`,
      ),
    };
  }
  const file = request.files[0];
  return {
    accept: true,
    record: { file, line: knownHostsLine(request.lookupName, request.blob) },
    notice: `${request.host}: permanently added '${request.lookupName}' (${label}, ${fingerprint}) to ${file}.`,
  };
}

async function readEntries(files: string[]): Promise<LoadedEntry[]> {
  const all: LoadedEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue; // a missing known_hosts file is an empty one, as for OpenSSH
    }
    for (const entry of parseKnownHosts(text)) all.push({ ...entry, file });
  }
  return all;
}

// Writes to one known_hosts file are serialized, so two hosts accepted at once never interleave lines.
let writeQueue: Promise<unknown> = Promise.resolve();

async function recordKey(file: string, line: string): Promise<void> {
  const write = writeQueue.then(async () => {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    let prefix = '';
    try {
      const existing = await readFile(file, 'utf8');
      if (existing.length > 0 && !existing.endsWith('\n')) prefix = '\n';
      if (existing.split('\n').includes(line)) return;
    } catch {
      /* new file */
    }
    await appendFile(file, `${prefix}${line}\n`, { mode: 0o600 });
  });
  writeQueue = write.catch(() => undefined);
  return write;
}

/** Reads the files, judges the key, records an accepted new one. */
export async function checkHostKey(request: HostKeyRequest): Promise<HostKeyVerdict> {
  const verdict = judgeHostKey(request, await readEntries(request.files));
  if (verdict.accept && verdict.record) {
    try {
      await recordKey(verdict.record.file, verdict.record.line);
    } catch (error) {
      return { accept: false, error: new SshError('host-key-unknown', request.host, `${request.host}: cannot record the new host key in ${verdict.record.file}: ${(error as Error).message}`) };
    }
  }
  return verdict;
}

/** Key types known for a name, across the files, to order the handshake's host key algorithms. */
export async function knownTypesFor(files: string[], lookupName: string): Promise<string[]> {
  return knownKeyTypes(await readEntries(files), lookupName);
}
