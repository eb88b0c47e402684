/**
 * `@template` strings: `"{{traits.first_name}} {{traits.last_name}}"`. Each `{{path}}`
 * (or `{{{path}}}`) is replaced by the value at that path, read from the event the same
 * way `@path` reads it (the leading `$.` is optional). Missing and null values render as
 * "", never "undefined"; objects and arrays as JSON.
 *
 * Unlike Segment's renderer, `{{ }}` does not HTML-escape: payloads go to a JSON API, and
 * an escaped "O&#39;Brien" would land in Gleap as the contact's name.
 */
import { compileGetter, type Getter } from '../fql/compile-getter.ts';
import { parsePath } from './parse-path.ts';

export type TemplateResult = { readonly ok: true; readonly render: (root: unknown) => string } | { readonly ok: false; readonly message: string };

export function compileTemplate(template: string): TemplateResult {
  const texts: string[] = [];
  const getters: Getter[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) break;
    const triple = template.startsWith('{{{', open);
    const close = template.indexOf(triple ? '}}}' : '}}', open);
    if (close < 0) {
      return { ok: false, message: `template has an unclosed "${triple ? '{{{' : '{{'}" at character ${open + 1}` };
    }
    const inner = template.slice(open + (triple ? 3 : 2), close);
    if (inner.includes('}') || inner.includes('{')) {
      return { ok: false, message: `template has a stray brace inside the placeholder at character ${open + 1}` };
    }
    const name = inner.trim();
    if (name === '') return { ok: false, message: `template has an empty placeholder at character ${open + 1}` };
    const parsed = parsePath(name);
    if (!parsed.ok) return { ok: false, message: `template placeholder {{${name}}}: ${parsed.message}` };
    texts.push(template.slice(i, open));
    getters.push(compileGetter(parsed.path));
    i = close + (triple ? 3 : 2);
  }
  const tail = template.slice(i);
  if (getters.length === 0) return { ok: true, render: () => tail };
  if (getters.length === 1) {
    const [head] = texts;
    const [get] = getters;
    return { ok: true, render: (root) => head + toText(get(root)) + tail };
  }
  return {
    ok: true,
    render: (root) => {
      let out = '';
      for (let k = 0; k < getters.length; k++) out += texts[k] + toText(getters[k](root));
      return out + tail;
    },
  };
}

/** How a value reads inside a template. */
export function toText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      if (value === null) return '';
      try {
        return JSON.stringify(value) ?? '';
      } catch {
        return '';
      }
    default:
      return '';
  }
}
