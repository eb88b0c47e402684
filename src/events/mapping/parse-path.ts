/**
 * Paths as mapping-kit writes them: `$.traits.email`, `$.products[0].id`, `$.a["b.c"]`.
 * The leading `$.` may be left out (Segment allows it), `$`, `$.` and `""` mean the whole
 * event, and a key may hold spaces (`$.integrations.Actions Amplitude.session_id`).
 * Brackets take an index, a bare key (`[b]`, as Segment reads it) or a quoted key that may
 * hold dots. Returns the segments or a message saying what is wrong.
 */
export type ParsedPath = { readonly ok: true; readonly path: readonly string[] } | { readonly ok: false; readonly message: string };

export function parsePath(text: string): ParsedPath {
  const bad = (message: string): ParsedPath => ({ ok: false, message: `path ${JSON.stringify(text)} ${message}` });
  let i = 0;
  if (text.startsWith('$')) {
    i = 1;
    if (text.length > 1 && text[1] !== '.' && text[1] !== '[') {
      return bad(`should start with "$." (e.g. "$.${text.slice(1)}")`);
    }
    if (text === '$.') return { ok: true, path: [] };
  }
  const path: string[] = [];
  // Without "$", the text opens with a key directly.
  let expectKey = i === 0 && text.length > 0;
  while (i < text.length) {
    const ch = text[i];
    if (expectKey || ch === '.') {
      if (!expectKey) i++;
      expectKey = false;
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
      if (end === i) return bad(`has an empty key at character ${i + 1}`);
      path.push(text.slice(i, end));
      i = end;
    } else if (ch === '[') {
      const quote = text[i + 1];
      if (quote === '"' || quote === "'") {
        let key = '';
        let j = i + 2;
        for (; j < text.length && text[j] !== quote; j++) {
          if (text[j] === '\\' && j + 1 < text.length) j++;
          key += text[j];
        }
        if (text[j] !== quote || text[j + 1] !== ']') return bad(`has an unclosed [${quote}...${quote}] at character ${i + 1}`);
        path.push(key);
        i = j + 2;
      } else {
        const close = text.indexOf(']', i);
        if (close < 0) return bad(`has an unclosed "[" at character ${i + 1}`);
        const key = text.slice(i + 1, close).trim();
        if (key === '') return bad(`has an empty "[]" at character ${i + 1}`);
        path.push(key);
        i = close + 1;
      }
    } else {
      return bad(`has an unexpected ${JSON.stringify(ch)} at character ${i + 1}; write "." or "[" between keys`);
    }
  }
  return { ok: true, path };
}
