// Types of coreBoundary.mjs, for the unit test that keeps it honest.
export function coreProject(root: string): { files: string[]; options: unknown };
export function coreBoundaryViolations(root: string): { files: number; violations: string[] };
