// Types of setupPlan.mjs (plain JavaScript: it runs before `npm ci`), for its unit tests.

export type SetupPurpose = 'demo' | 'test' | 'ci';

export interface NodeModulesState {
  state: 'ok' | 'missing' | 'stale';
  why?: string;
}

export interface SetupFacts {
  purpose: SetupPurpose;
  platform: string;
  root: boolean;
  hasApt: boolean;
  /** Packages dpkg does not list as installed; undefined without dpkg. */
  missingPackages: string[] | undefined;
  /** Without dpkg: the commands that are not on PATH. */
  missingTools: string[];
  nodeModules: NodeModulesState;
}

export type SetupStep =
  | { kind: 'apt'; packages: string[]; command: string }
  | { kind: 'tell'; command: string; why: string }
  | { kind: 'stop'; why: string }
  | { kind: 'npm-ci'; why: string }
  | { kind: 'code-server' };

export const LAB_PACKAGES: string[];
export const EDITOR_BUILD_PACKAGES: string[];
export const BROWSER_PACKAGES: string[];
export const TOOLS_FOR_PACKAGES: string[];
export function packagesFor(purpose: SetupPurpose): string[];
export function nodeModulesState(lock: unknown, installed: unknown): NodeModulesState;
export function planSetup(facts: SetupFacts): SetupStep[];
