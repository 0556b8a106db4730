// Which files are lab files, and names for new ones. Kept apart from the editor so it is tested.

export const LAB_FILE_SUFFIX = '.lab.yaml';
export const LAB_FILE_GLOB = '**/*.lab.yaml';
export const LAB_FILE_EXCLUDE = '**/node_modules/**';

export function isLabFilePath(path: string): boolean {
  return path.toLowerCase().endsWith(LAB_FILE_SUFFIX);
}

/** Dependencies' folders hold other people's examples, not this workspace's labs. */
export function isExcludedPath(path: string): boolean {
  return /(^|[\\/])node_modules([\\/]|$)/.test(path);
}

/** `new.lab.yaml`, else `new-2.lab.yaml`, `new-3.lab.yaml`… whichever is not taken. */
export function newLabFileName(taken: (name: string) => boolean): string {
  for (let n = 1; ; n++) {
    const name = `new${n === 1 ? '' : `-${n}`}${LAB_FILE_SUFFIX}`;
    if (!taken(name)) return name;
  }
}
