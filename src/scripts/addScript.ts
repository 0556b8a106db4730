// Adds a script to a lab file's text, keeping the user's comments and layout (the `yaml`
// package's document model), under a name not yet taken.

import { isMap, parseDocument, Scalar } from 'yaml';
import type { ScriptTemplate } from './templates';

export interface AddedScript {
  text: string;
  name: string;
}

export function addScriptToLabText(text: string, template: ScriptTemplate, hosts?: string[]): AddedScript {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`the lab file has YAML errors; fix them first (${doc.errors[0].message.split('\n')[0]})`);
  if (!isMap(doc.contents)) throw new Error('the lab file is not a YAML map');
  const scripts = doc.get('scripts');
  const taken = new Set(isMap(scripts) ? scripts.items.map((item) => String((item.key as Scalar).value ?? item.key)) : []);
  let name = template.name;
  for (let n = 2; taken.has(name); n++) name = `${template.name}-${n}`;

  const script: Record<string, unknown> = { description: template.description };
  if (hosts?.length) script.hosts = hosts;
  if (template.timeout) script.timeout = template.timeout;
  const run = new Scalar(template.run);
  run.type = Scalar.BLOCK_LITERAL;
  script.run = run;
  doc.setIn(['scripts', name], doc.createNode(script));
  return { text: doc.toString({ lineWidth: 0 }), name };
}
