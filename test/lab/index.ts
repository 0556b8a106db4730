// The test lab, in one import: `import { TestLab, demoLabSpec } from '../lab'`.
export * from './spec';
export * from './demo';
export * from './testlab';
export * from './users';
export { run, waitFor, mapLimit, sleep, type RunResult, type RunOptions, CommandError } from './exec';
export * from './linkFaults';
