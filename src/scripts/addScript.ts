// Adds a script to a lab file's text under a name not yet taken. Only the new script's lines
// are written: the rest of the file (comments, folded text, flow lists) stays byte for byte.

import { Document, isMap, isScalar, parseDocument, Scalar, type YAMLMap } from 'yaml';
import type { ScriptTemplate } from './templates';

export interface AddedScript {
  text: string;
  name: string;
}

/** The new script as YAML, its lines indented by `indent` spaces. */
function scriptYaml(name: string, template: ScriptTemplate, hosts: string[] | undefined, indent: number): string {
  const script: Record<string, unknown> = { description: template.description };
  if (hosts?.length) script.hosts = hosts;
  if (template.timeout) script.timeout = template.timeout;
  const run = new Scalar(template.run);
  run.type = Scalar.BLOCK_LITERAL;
  script.run = run;
  const doc = new Document({ [name]: script });
  const pad = ' '.repeat(indent);
  return doc
    .toString({ lineWidth: 0, indent: Math.max(indent, 2) })
    .trimEnd()
    .split('\n')
    .map((line) => (line ? pad + line : line))
    .join('\n');
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

export function addScriptToLabText(text: string, template: ScriptTemplate, hosts?: string[]): AddedScript {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`the lab file has YAML errors; fix them first (${doc.errors[0].message.split('\n')[0]})`);
  if (!isMap(doc.contents)) throw new Error('the lab file is not a YAML map');
  const scripts = doc.get('scripts', true);
  const existing = isMap(scripts) ? (scripts as YAMLMap).items.map((item) => String(isScalar(item.key) ? item.key.value : item.key)) : [];
  let name = template.name;
  for (let n = 2; existing.includes(name); n++) name = `${template.name}-${n}`;

  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const withEol = (yaml: string) => yaml.split('\n').join(eol);
  if (isMap(scripts) && !scripts.flow && scripts.items.length > 0 && scripts.range) {
    // Insert after the last script, at the indentation the file already uses for scripts.
    const firstKey = scripts.items[0].key as Scalar;
    const indent = firstKey.range ? columnOf(text, firstKey.range[0]) : 2;
    const end = scripts.range[1];
    const lineEnd = text.indexOf('\n', end - 1) === -1 ? text.length : text.indexOf('\n', end - 1) + 1;
    const before = text.slice(0, lineEnd);
    const separator = before.endsWith('\n') ? '' : eol;
    return { text: `${before}${separator}${withEol(scriptYaml(name, template, hosts, indent))}${eol}${text.slice(lineEnd)}`, name };
  }
  if (scripts !== undefined && scripts !== null && !(isScalar(scripts) && scripts.value === null)) {
    throw new Error('scripts in this lab file is not written as a block map; add the script by hand');
  }
  // No scripts yet (or an empty `scripts:`): add the section at the end of the file.
  const withoutEmpty = text.replace(/^scripts:[ \t]*(\r?\n|$)/m, '');
  const body = withoutEmpty.endsWith('\n') || withoutEmpty === '' ? withoutEmpty : withoutEmpty + eol;
  return { text: `${body}${eol}scripts:${eol}${withEol(scriptYaml(name, template, hosts, 2))}${eol}`, name };
}
