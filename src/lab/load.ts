// Reading a lab file end to end: YAML with positions, the draft model, resolution, validation.
// The model is handed out only when no error stands, so everything downstream may trust it.

import { readFile } from 'node:fs/promises';
import { DiagnosticSink, hasErrors, START_OF_FILE } from './diagnostics';
import { ReadContext } from './mapReader';
import { readLab } from './readLab';
import { resolveLab } from './resolve';
import type { LabLoadResult } from './types';
import { validateLab } from './validate';
import { YamlSource } from './yamlSource';

export { formatDiagnostic } from './diagnostics';

/** `file` is only used to label diagnostics and the model (`Lab.file`). */
export function loadLabText(text: string, file: string): LabLoadResult {
  const sink = new DiagnosticSink(file);
  const source = new YamlSource(text);
  // After a syntax error the tree is a guess; rules checked on it would report nonsense.
  if (source.reportSyntax(sink)) return { diagnostics: sink.sorted() };
  const draft = readLab(new ReadContext(source, sink), file);
  if (!draft) return { diagnostics: sink.sorted() };
  const lab = resolveLab(draft);
  validateLab(lab, sink);
  const diagnostics = sink.sorted();
  return hasErrors(diagnostics) ? { diagnostics } : { lab, diagnostics };
}

export async function loadLabFile(path: string): Promise<LabLoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { diagnostics: [{ file: path, severity: 'error', message: readProblem(err), range: START_OF_FILE }] };
  }
  return loadLabText(text, path);
}

function readProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such lab file; check the path';
  if (code === 'EISDIR') return 'this is a directory, not a lab file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the lab file: permission denied';
  return `cannot read the lab file: ${(err as Error).message}`;
}
