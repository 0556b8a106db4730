// Text from a lab file or an SSH server, put into a Markdown tooltip: it must read as written,
// never as Markdown, HTML or a `$(icon)`.

/** Backslash-escapes every ASCII punctuation mark Markdown could act on, and flattens newlines. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, '\\$&').replace(/\r?\n/g, ' ');
}
