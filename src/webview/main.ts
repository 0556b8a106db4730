// The browser bundle for the webviews to come (topology, capture panes). A placeholder for now:
// importing it does nothing, so the build has an entry point and nothing else.

export function startWebview(): void {
  // Filled in when the first webview lands.
}
