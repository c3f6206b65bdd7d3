// The dashboard as a person sees it, by the selectors agreed with core and detail: roles and labels first.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

export const distDir = fileURLToPath(new URL('../../dist', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(`${distDir}/index.html`))
    throw new Error(`${distDir}/index.html is missing: run \`npm run build\` first`);
}

export type Column =
  'state' | 'errno' | 'local' | 'remote' | 'recvq' | 'sendq' | 'in' | 'out' | 'role' | 'proto' | 'age';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole-token match, so c-1 does not match c-12. */
export const token = (s: string): RegExp => new RegExp(`(^|[^\\w-])${escape(s)}($|[^\\w-])`);

export class Dashboard {
  constructor(readonly page: Page) {}

  get table(): Locator {
    return this.page.locator('table[aria-label="Connections"]');
  }
  get linkStatus(): Locator {
    return this.page.locator('[aria-label="Link status"]');
  }
  get detail(): Locator {
    return this.page.locator('section[aria-label="Detail"]');
  }
  get filter(): Locator {
    return this.page.locator('input[aria-label="Filter"]');
  }

  row(id: string, state?: string): Locator {
    return this.table.locator(state ? `tr[data-id="${id}"][data-state="${state}"]` : `tr[data-id="${id}"]`);
  }
  /** The row when it is the selected one (aria-selected). */
  selected(id: string): Locator {
    return this.table.locator(`tr[data-id="${id}"][aria-selected="true"]`);
  }
  cell(id: string, col: Column): Locator {
    return this.row(id).locator(`[data-col="${col}"]`);
  }

  async waitLive(): Promise<void> {
    await this.linkStatus.filter({ hasText: /^\s*live\s*$/ }).waitFor();
  }

  /** Waits until a cell's text matches. */
  async waitCell(id: string, col: Column, text: string | RegExp): Promise<void> {
    await this.cell(id, col).filter({ hasText: text }).waitFor();
  }

  /** The form, opening its disclosure (a button or summary with the form's name) when it is closed. */
  async form(name: 'New listener' | 'New connection'): Promise<Locator> {
    const form = this.page.getByRole('form', { name, exact: true });
    if (!(await form.isVisible())) {
      const toggle = this.page
        .getByRole('button', { name, exact: true })
        .or(this.page.locator('summary').filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) }));
      await toggle.first().click();
    }
    await form.waitFor();
    return form;
  }

  /** The form's own report of what it created, e.g. "Listening on 127.0.0.1:41234 (l-1)". */
  async created(form: Locator, pattern: RegExp): Promise<RegExpMatchArray> {
    const output = form.locator('output');
    await output.filter({ hasText: pattern }).waitFor({ state: 'attached' });
    const match = ((await output.textContent()) ?? '').match(pattern);
    if (!match) throw new Error(`form output does not match ${pattern}`);
    return match;
  }

  /** Listens from the form by keyboard: types the port and presses Enter. */
  async listen(port: number | string = 0): Promise<{ id: string; port: number }> {
    const form = await this.form('New listener');
    await form.getByLabel('Port', { exact: true }).fill(String(port));
    await form.getByLabel('Port', { exact: true }).press('Enter');
    const [, bound, id] = await this.created(form, /Listening on .*:(\d+) \((l-\d+)\)/);
    return { id: id!, port: Number(bound) };
  }

  /** Dials from the form by keyboard: host, port, Enter. */
  async connect(port: number, host = '127.0.0.1'): Promise<string> {
    const form = await this.form('New connection');
    await form.getByLabel('Host', { exact: true }).fill(host);
    await form.getByLabel('Port', { exact: true }).fill(String(port));
    await form.getByLabel('Port', { exact: true }).press('Enter');
    // The status follows the row it made: still connecting, already connected, or the errno of a failed connect.
    const [, id] = await this.created(
      form,
      new RegExp(`(?:Connecting to|Connected to|connecting to) .*:${port} \\((c-\\d+)\\)`),
    );
    return id!;
  }

  /** Waits until the control labelled `label` in `form` points (aria-describedby) to an alert matching `text`. */
  async problemAt(form: Locator, label: string, text: RegExp): Promise<string> {
    const control = form.getByLabel(label, { exact: true });
    const handle = await control.elementHandle();
    const found = await this.page.waitForFunction(
      ({ el, source, flags }) => {
        const ids = (el?.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
        const alert = ids.map((id) => document.getElementById(id)).find((n) => n?.getAttribute('role') === 'alert');
        const message = alert?.textContent ?? '';
        return new RegExp(source, flags).test(message) ? message : null;
      },
      { el: handle, source: text.source, flags: text.flags },
    );
    return (await found.jsonValue()) as string;
  }

  /** Clicks a row and waits for the detail pane to be about it. */
  async open(id: string): Promise<Locator> {
    await this.row(id).click();
    return this.waitDetail(id);
  }

  /** The detail pane once its heading names this row. */
  async waitDetail(id: string): Promise<Locator> {
    await this.detail.getByRole('heading', { name: id, exact: true }).waitFor();
    return this.detail;
  }

  async tab(name: 'Timeline' | 'Reads' | 'Hex' | 'Text'): Promise<void> {
    await this.detail.getByRole('tab', { name, exact: true }).click();
    await this.detail.getByRole('tab', { name, exact: true, selected: true }).waitFor();
  }

  /** data-id and data-state of every row in the DOM, in order. */
  rows(): Promise<Array<{ id: string; state: string }>> {
    return this.table
      .locator('tr[data-id]')
      .evaluateAll((trs) =>
        trs.map((tr) => ({ id: tr.getAttribute('data-id') ?? '', state: tr.getAttribute('data-state') ?? '' })),
      );
  }

  /** Expands a listener's children when they are collapsed. */
  async expand(listenerId: string): Promise<void> {
    const expand = this.table.getByRole('button', { name: `Expand ${listenerId}`, exact: true });
    if (await expand.isVisible()) await expand.click();
    await this.table.getByRole('button', { name: `Collapse ${listenerId}`, exact: true }).waitFor();
  }
}
