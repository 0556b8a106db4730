// The topology webview's page: a strict Content Security Policy (no network, scripts only with
// this page's nonce, styles and fonts only from the extension's own files; inline styles are
// allowed because xterm.js and the web components add <style> at run time), the stylesheets,
// and the bundle. Everything else is built by the bundle.

import { randomBytes } from 'node:crypto';

export interface PageResources {
  /** `webview.cspSource`. */
  cspSource: string;
  /** URIs (as strings, from `webview.asWebviewUri`) of the bundle and its stylesheets. */
  script: string;
  bundleStyles: string;
  codicons: string;
  styles: string;
  title: string;
  nonce?: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function topologyHtml(resources: PageResources): string {
  const nonce = resources.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(resources.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${attribute(resources.title)}</title>
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attribute(resources.codicons)}">
<link rel="stylesheet" href="${attribute(resources.bundleStyles)}">
<link rel="stylesheet" href="${attribute(resources.styles)}">
</head>
<body>
<script nonce="${attribute(nonce)}" src="${attribute(resources.script)}"></script>
</body>
</html>
`;
}
