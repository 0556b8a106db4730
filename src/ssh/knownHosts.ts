// known_hosts as OpenSSH reads and writes it: plain and hashed (`|1|salt|hash`) host patterns,
// `[host]:port` for ports other than 22, wildcards and negations, `@revoked` markers.
// Pure functions over text, so they are tested on real files without a network.

import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  marker?: '@revoked' | '@cert-authority';
  /** The comma-separated patterns, or one hashed entry. */
  patterns: string[];
  keyType: string;
  /** Base64 of the public key blob. */
  keyBase64: string;
  line: number;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    if (fields.length < 3) return;
    entries.push({ marker, patterns: fields[0].split(','), keyType: fields[1], keyBase64: fields[2], line: index + 1 });
  });
  return entries;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatches(pattern: string, name: string): boolean {
  const [, kind, salt, hash] = pattern.split('|');
  if (kind !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Whether an entry's patterns match a name, with OpenSSH's rule that a matching negation wins. */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  let matched = false;
  for (const pattern of entry.patterns) {
    if (pattern.startsWith('|')) {
      if (hashedMatches(pattern, name)) matched = true;
    } else if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) return false;
    } else if (globToRegExp(pattern).test(name)) {
      matched = true;
    }
  }
  return matched;
}

/** The key type name at the start of an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function keyTypeOfBlob(blob: Buffer): string {
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** `SHA256:...` as OpenSSH prints it: base64 of the SHA-256 of the blob, without padding. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The label OpenSSH uses in its messages: ED25519, ECDSA, RSA, DSA. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType.toUpperCase();
}

export type HostKeyMatch =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  /** The host is known with another key of the same type: the key has changed. */
  | { status: 'changed'; entry: KnownHostEntry }
  /** No key of this type is known for the host (`otherTypes` lists the types that are). */
  | { status: 'unknown'; otherTypes: string[] };

/** Looks a presented host key up, as OpenSSH's check_host_key does. */
export function matchHostKey(entries: KnownHostEntry[], name: string, blob: Buffer): HostKeyMatch {
  const keyType = keyTypeOfBlob(blob);
  const keyBase64 = blob.toString('base64');
  const forHost = entries.filter((entry) => entry.marker !== '@cert-authority' && entryMatches(entry, name));
  const revoked = forHost.find((entry) => entry.marker === '@revoked' && entry.keyBase64 === keyBase64);
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((entry) => entry.marker === undefined);
  const same = plain.find((entry) => entry.keyType === keyType && entry.keyBase64 === keyBase64);
  if (same) return { status: 'known', entry: same };
  const changed = plain.find((entry) => entry.keyType === keyType);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((entry) => entry.keyType))] };
}

/** The key types known for a host, so the handshake can prefer them as OpenSSH does. */
export function knownKeyTypes(entries: KnownHostEntry[], name: string): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && entryMatches(e, name)).map((e) => e.keyType))];
}

/** One line to append for a newly accepted key. */
export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOfBlob(blob)} ${blob.toString('base64')}`;
}
