/** Gleap's message bodies are rich-text documents (TipTap/ProseMirror JSON). */
export interface RichTextDoc {
  type: 'doc';
  content: { type: 'paragraph'; content: { type: 'text'; text: string }[] }[];
}

export function richText(...paragraphs: string[]): RichTextDoc {
  return { type: 'doc', content: paragraphs.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })) };
}

/** The plain text of a rich-text document (or of a plain string). */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  const node = value as { text?: unknown; content?: unknown };
  const own = typeof node.text === 'string' ? node.text : '';
  const children = Array.isArray(node.content) ? node.content.map(plainText).filter(Boolean).join(' ') : '';
  return [own, children].filter(Boolean).join(' ');
}
