// The few things the tests do in VS Code's workbench, by what a person sees: run a command from
// F1, read the Labs tree's rows, answer a modal dialog, read notifications, reach a webview.
// Every wait names what it waited for, so that a failure says what did not show up.

import type { FrameLocator, Locator, Page } from 'playwright-core';

export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits for `check` to return a value (not undefined), polling; fails naming `what` and the last state seen. */
  async until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, describe?: () => Promise<string>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: Error | undefined;
    while (Date.now() < deadline) {
      try {
        const value = await check();
        if (value !== undefined) return value;
        lastError = undefined;
      } catch (error) {
        lastError = error as Error;
      }
      await this.page.waitForTimeout(250);
    }
    const state = describe ? await describe().catch((error: Error) => `(could not describe: ${error.message})`) : '';
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}${state ? `\n  what was there: ${state}` : ''}`);
  }

  /** F1, the command's title, Enter on the row that has exactly that title. */
  async runCommand(title: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input.input');
    // The palette closes when it loses the focus (a webview that had it may take it back as the
    // palette opens): then F1 once more.
    for (let attempt = 1; ; attempt++) {
      await this.closeQuickInput();
      await this.page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
        throw new Error('F1 did not open the command palette');
      });
      try {
        await input.fill(`>${title}`, { timeout: 5000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw new Error(`could not type into the command palette: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
      throw new Error(`the command palette has no command "${title}"; it lists: ${(await this.quickPickRows()).join(' | ') || 'nothing'}`);
    });
    await row.click();
  }

  async quickPickRows(): Promise<string[]> {
    return (await this.page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map(oneLine);
  }

  /** The quick input's placeholder once one is open (its question), or undefined when none is. */
  async quickPickQuestion(): Promise<string | undefined> {
    const input = this.page.locator('.quick-input-widget input.input');
    if (!(await this.page.locator('.quick-input-widget').isVisible())) return undefined;
    return (await input.getAttribute('placeholder')) ?? '';
  }

  /** Clicks the quick pick's row whose label is exactly `label` (after typing it as the filter). */
  async pickQuickItem(label: string): Promise<void> {
    await this.page.locator('.quick-input-widget input.input').fill(label, { timeout: 10_000 });
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 }).catch(async () => {
      throw new Error(`the quick pick "${(await this.quickPickQuestion()) ?? ''}" has no item "${label}"; it lists: ${(await this.quickPickRows()).join(' | ') || 'nothing'}`);
    });
    await row.click();
  }

  async closeQuickInput(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Opens the Overlay Lab view from the activity bar (when it is not open already). */
  async openOverlayLabView(): Promise<void> {
    const item = this.page.locator('.activitybar [aria-label^="Overlay Lab"]').first();
    await item.waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
      const labels = await this.page.locator('.activitybar .action-item a, .activitybar .action-item .action-label').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label')));
      throw new Error(`no Overlay Lab icon in the activity bar (the extension did not activate or contribute its view?); it has: ${labels.filter(Boolean).join(', ')}`);
    });
    const selected = await this.page.locator('.activitybar .action-item.checked [aria-label^="Overlay Lab"], .activitybar .action-item.checked[aria-label^="Overlay Lab"]').count();
    if (!selected) await item.click();
    await this.widenSideBar(480);
    await this.labsRows().first().waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
      throw new Error(`the Labs view shows no row; the side bar reads: ${oneLine(await this.page.locator('.part.sidebar').innerText().catch(() => ''))}`);
    });
  }

  /** Drags the side bar's edge so that rows' descriptions show whole in screenshots. */
  async widenSideBar(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const y = box.y + box.height / 2;
    // The sash straddles the edge (4 px wide, from the edge on).
    await this.page.mouse.move(box.x + box.width + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Drags the panel's top edge up, so that the panel is `height` pixels tall. */
  async resizePanel(height: number): Promise<void> {
    const panel = await this.page.locator('[id="workbench.parts.panel"]').boundingBox();
    if (!panel || panel.height >= height) return;
    const sashes = await this.page.locator('.monaco-sash.horizontal').evaluateAll((nodes) =>
      nodes.map((node) => {
        const rect = node.getBoundingClientRect();
        return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
      }),
    );
    const sash = sashes.find((rect) => rect.width > 0 && Math.abs(rect.y + rect.height / 2 - panel.y) <= 4 && rect.x <= panel.x + panel.width / 2 && rect.x + rect.width >= panel.x + panel.width / 2);
    if (!sash) throw new Error(`no sash on the panel's top edge (panel ${JSON.stringify(panel)}, sashes ${JSON.stringify(sashes)})`);
    const x = panel.x + panel.width / 2;
    await this.page.mouse.move(x, sash.y + sash.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(x, panel.y + panel.height - height, { steps: 5 });
    await this.page.mouse.up();
  }

  labsRows(): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row');
  }

  /** Each row of the Labs tree as its text (label and description), top to bottom. */
  async labsTree(): Promise<string[]> {
    return (await this.labsRows().allInnerTexts()).map(oneLine);
  }

  /** The row whose label is `label`. */
  labsRow(label: string): Locator {
    return this.labsRows().filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
  }

  async expand(label: string): Promise<void> {
    const row = this.labsRow(label);
    await row.waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
      throw new Error(`no row "${label}" in the Labs view; it shows: ${(await this.labsTree()).join(' | ')}`);
    });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await this.until(`row "${label}" to expand`, async () => ((await row.getAttribute('aria-expanded')) === 'true' ? true : undefined), 10_000);
  }

  /** The text of the notifications on screen (toasts), newest last. */
  async notifications(): Promise<string[]> {
    return (await this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts()).map(oneLine);
  }

  async waitForNotification(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return this.until(
      `a notification matching ${pattern}`,
      async () => (await this.notifications()).find((text) => pattern.test(text)),
      timeoutMs,
      async () => `notifications: ${(await this.notifications()).join(' | ') || 'none'}`,
    );
  }

  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  }

  /** The modal dialog on screen: its text, and a click on the button named `button`. */
  async answerDialog(button: string, timeoutMs = 60_000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
      throw new Error(`no dialog appeared within ${timeoutMs / 1000} s; notifications: ${(await this.notifications()).join(' | ') || 'none'}`);
    });
    const text = oneLine(await dialog.innerText());
    const target = dialog.locator('.dialog-buttons .monaco-button', { hasText: exactly(button) }).first();
    await target.waitFor({ state: 'visible', timeout: 5000 }).catch(async () => {
      throw new Error(`the dialog has no "${button}" button; it reads: ${text}`);
    });
    await target.click();
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
    return text;
  }

  /** Inside the webview of the active editor (two iframes deep). */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /**
   * Inside the topology panel's webview: the one webview whose document holds the diagram (#graph),
   * whichever others are open.
   */
  async topologyWebview(timeoutMs = 20_000): Promise<FrameLocator> {
    return this.until(
      'the topology panel\'s webview (the one holding #graph)',
      async () => {
        const frames = this.page.locator('iframe.webview.ready');
        const count = await frames.count();
        for (let index = 0; index < count; index++) {
          const inner = frames.nth(index).contentFrame().frameLocator('#active-frame');
          if ((await inner.locator('#graph').count()) > 0) return inner;
        }
        return undefined;
      },
      timeoutMs,
      async () => `${await this.page.locator('iframe.webview.ready').count()} webview(s), none with #graph`,
    );
  }

  /**
   * The editor tabs of every group: each one's title as the tab tells a screen reader (its
   * aria-label up to ", Editor Group 2" and the like), and whether it holds unsaved changes.
   */
  async editorTabs(): Promise<{ label: string; dirty: boolean }[]> {
    return this.page.locator('.part.editor .tabs-container .tab').evaluateAll((tabs) =>
      tabs.map((tab) => ({ label: (tab.getAttribute('aria-label') ?? '').split(', ')[0].trim(), dirty: tab.classList.contains('dirty') })),
    );
  }

  /** The tab whose title is `label`. */
  editorTab(label: string): Locator {
    return this.page.locator(`.part.editor ${tabSelector(label)}`).first();
  }

  /**
   * Each distinct line of the text editor of the tab `label`, whole: the editor is made active,
   * its word wrap turned off while it is read (a wrapped line would come apart), and it is
   * paged through (an editor draws only the lines in view).
   */
  async editorText(label: string): Promise<string[]> {
    await this.editorTab(label).click();
    const group = this.page.locator('.part.editor .editor-group-container').filter({ has: this.page.locator(tabSelector(label)) }).first();
    const lines = group.locator('.monaco-editor .view-lines').first();
    await lines.waitFor({ state: 'visible', timeout: 10_000 });
    await this.runCommand('View: Toggle Word Wrap');
    try {
      await this.page.waitForTimeout(300);
      const box = await lines.boundingBox();
      const margin = await group.locator('.monaco-editor .margin').first().boundingBox();
      if (!box || !margin) throw new Error(`the editor of ${label} has no size`);
      const read = async () =>
        (await lines.locator('.view-line').evaluateAll((nodes) => nodes.map((node) => ({ top: parseFloat((node as HTMLElement).style.top) || 0, text: (node.textContent ?? '').replace(/\u00a0/g, ' ') }))))
          .sort((a, b) => a.top - b.top)
          .map((line) => line.text);
      const seen: string[] = [];
      // Page by page from the top, the cursor in the editor (a click on the first line's number).
      await this.page.mouse.click(margin.x + margin.width / 2, margin.y + 8);
      await this.page.keyboard.press('Control+Home');
      let before = '';
      for (let turn = 0, still = 0; turn < 40 && still < 2; turn++) {
        await this.page.waitForTimeout(200);
        const view = await read();
        const now = JSON.stringify(view);
        still = now === before ? still + 1 : 0; // the end, once a page down moves it no further
        before = now;
        for (const line of view) if (!seen.includes(line)) seen.push(line);
        await this.page.keyboard.press('PageDown');
      }
      await this.page.keyboard.press('Control+Home');
      return seen;
    } finally {
      await this.runCommand('View: Toggle Word Wrap');
    }
  }

  /** Where the topology panel's webview sits in the window (for a close-up of the diagram). */
  async topologyBox(): Promise<{ x: number; y: number; width: number; height: number }> {
    const frames = this.page.locator('iframe.webview.ready');
    for (let index = 0; index < (await frames.count()); index++) {
      const inner = frames.nth(index).contentFrame().frameLocator('#active-frame');
      if ((await inner.locator('#graph').count()) === 0) continue;
      const box = await frames.nth(index).boundingBox();
      if (box) return box;
    }
    throw new Error('no webview holds the topology (#graph)');
  }

  /** The text of the active terminal in the panel. */
  async terminalText(): Promise<string> {
    return (await xtermLines(this.page.locator('[id="workbench.parts.panel"] .xterm-rows'))).join('\n');
  }
}

/** The CSS selector of the editor tab whose title is `label`, inside an editor group. */
export function tabSelector(label: string): string {
  return `.tabs-container .tab:is([aria-label=${JSON.stringify(label)}], [aria-label^=${JSON.stringify(`${label}, `)}])`;
}

/** A regular expression that matches exactly `text` (the whole of an element's text). */
export function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The lines an xterm.js terminal (DOM renderer) shows, one per row, as its text really is
 * (innerText would fold the spaces the renderer draws). Rows of several terminals follow each other.
 */
export async function xtermLines(rows: Locator): Promise<string[]> {
  const lines = await rows.evaluateAll((nodes) => nodes.flatMap((node) => Array.from(node.children, (row) => row.textContent ?? '')));
  return lines.map((line) => line.replace(/\u00a0/g, ' ').trimEnd());
}

/** A terminal's rows joined without breaks: a line the terminal wrapped reads whole again. */
export async function xtermText(rows: Locator): Promise<string> {
  const lines = await rows.evaluateAll((nodes) => nodes.flatMap((node) => Array.from(node.children, (row) => row.textContent ?? '')));
  return lines.map((line) => line.replace(/\u00a0/g, ' ')).join('');
}
