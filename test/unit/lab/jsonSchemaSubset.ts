// The part of JSON Schema draft-07 that schemas/lab.schema.json uses, enough to check in a unit
// test that the schema accepts the example labs and refuses broken ones (ajv is not a
// dependency of the project). Unknown keywords make it throw, so the schema cannot quietly
// grow past what this checks.

type Schema = Record<string, unknown> | boolean;

const HANDLED = new Set([
  '$schema', 'title', 'description', '$ref', 'definitions', 'type', 'enum', 'const', 'pattern', 'minLength',
  'minimum', 'maximum', 'exclusiveMinimum', 'properties', 'patternProperties', 'additionalProperties',
  'propertyNames', 'required', 'minProperties', 'items', 'anyOf', 'allOf', 'if', 'then',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Problems found, each as `path: what`; empty when `value` is valid. */
export function checkAgainstSchema(root: Schema, value: unknown): string[] {
  const problems: string[] = [];
  const check = (schema: Schema, v: unknown, path: string): boolean => {
    const before = problems.length;
    if (schema === true) return true;
    if (schema === false) {
      problems.push(`${path}: not allowed`);
      return false;
    }
    for (const key of Object.keys(schema)) if (!HANDLED.has(key)) throw new Error(`jsonSchemaSubset: keyword ${key} not handled`);
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/definitions/', '');
      check(((root as Record<string, unknown>).definitions as Record<string, Schema>)[name], v, path);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      const t = typeOf(v);
      if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) problems.push(`${path}: is ${t}, not ${types.join('|')}`);
    }
    if (schema.enum && !(schema.enum as unknown[]).includes(v)) problems.push(`${path}: not one of ${(schema.enum as unknown[]).join(', ')}`);
    if ('const' in schema && v !== schema.const) problems.push(`${path}: is not ${String(schema.const)}`);
    if (typeof v === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v)) problems.push(`${path}: does not match ${schema.pattern}`);
      if (typeof schema.minLength === 'number' && v.length < schema.minLength) problems.push(`${path}: too short`);
    }
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
      if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum) problems.push(`${path}: not above ${schema.exclusiveMinimum}`);
    }
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const patterns = Object.entries((schema.patternProperties ?? {}) as Record<string, Schema>);
      for (const name of (schema.required ?? []) as string[]) if (!(name in obj)) problems.push(`${path}: ${name} is required`);
      if (typeof schema.minProperties === 'number' && Object.keys(obj).length < schema.minProperties) problems.push(`${path}: too few keys`);
      for (const [key, child] of Object.entries(obj)) {
        if (schema.propertyNames) check(schema.propertyNames as Schema, key, `${path}.${key} (name)`);
        let matched = false;
        if (key in properties) {
          matched = true;
          check(properties[key], child, `${path}.${key}`);
        }
        for (const [pattern, sub] of patterns) {
          if (new RegExp(pattern, 'u').test(key)) {
            matched = true;
            check(sub, child, `${path}.${key}`);
          }
        }
        if (!matched && schema.additionalProperties !== undefined) check(schema.additionalProperties as Schema, child, `${path}.${key}`);
      }
    }
    if (Array.isArray(v) && schema.items) v.forEach((item, i) => check(schema.items as Schema, item, `${path}[${i}]`));
    if (schema.anyOf) {
      const options = schema.anyOf as Schema[];
      const saved = problems.length;
      const ok = options.some((option) => {
        const mark = problems.length;
        const good = check(option, v, path);
        problems.length = mark;
        return good;
      });
      problems.length = saved;
      if (!ok) problems.push(`${path}: matches none of anyOf`);
    }
    for (const sub of (schema.allOf ?? []) as Schema[]) check(sub, v, path);
    if (schema.if !== undefined) {
      const mark = problems.length;
      const holds = check(schema.if as Schema, v, path);
      problems.length = mark;
      if (holds && schema.then !== undefined) check(schema.then as Schema, v, path);
    }
    return problems.length === before;
  };
  check(root, value, '$');
  return problems;
}
