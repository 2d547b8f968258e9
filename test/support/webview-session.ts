// One webview page and its test host for the length of a test: whatever the test does, the host
// is closed, then the page.
import type { Page } from 'playwright-core';
import type { TestHost } from './test-host.js';
import type { WebviewPage } from './webview-harness.js';

export interface OpenView { view: WebviewPage; host: TestHost }

/** Waits for `opened`, runs `fn` on the page (`view.page`, also given as `page`) and its host, then closes the host and the page. */
export async function withOpenView(opened: Promise<OpenView>, fn: (v: OpenView & { page: Page }) => Promise<void>): Promise<void> {
  const { view, host } = await opened;
  try {
    await fn({ view, host, page: view.page });
  } finally {
    await host.close();
    await view.close();
  }
}
