// The responders editor shows the refusal of a regex too large to run in bounded time at the rule's pattern. The stub
// answers as the server does (test/backend/http/regex-stall.test.ts checks that reply over REST): BAD_REQUEST, the
// rule's field, and compileRegex's words for the pattern the editor sent. (The app itself cannot load in jsdom.)
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { DetailPane } from '../../frontend/components/detail/DetailPane';
import { compileRegex, MAX_REGEX_INSTRUCTIONS, type RespondersBody } from '../../shared';
import { conn } from '../frontend/detail-factories';
import { fakeApi, storeWith, withLayout } from './detail-fixtures';

withLayout();

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

it('a rule whose regex compiles past the size cap: the 400 names the rule, shown at its pattern', async () => {
  const api = fakeApi({ events: [], chunks: [] }, (c) => {
    if (!c.url.endsWith('/responders')) return undefined;
    if (c.method === 'GET')
      return {
        status: 200,
        body: { id: 'c-1', mode: 'off', rules: [], echoes: 0, replies: 0, suppressed: 0, lastError: null },
      };
    const match = (c.body as RespondersBody).rules?.[0]?.match;
    const compiled = compileRegex(match && 'regex' in match ? match.regex : '');
    const field = 'rules[0].match.regex';
    if (compiled.ok) throw new Error('the editor sent a pattern within the cap');
    return { status: 400, body: { error: { code: 'BAD_REQUEST', message: `${field}: ${compiled.message}`, field } } };
  });
  render(<DetailPane store={storeWith({ connections: [conn()] })} id="c-1" />);
  fireEvent.click(screen.getByText('Responders', { selector: 'summary' }));
  const editor = await screen.findByRole('form', { name: 'Responders' });
  fireEvent.change(within(editor).getByLabelText('Responder mode'), { target: { value: 'rules' } });
  fireEvent.click(within(editor).getByRole('button', { name: 'Add rule' }));
  const pattern = within(editor).getByLabelText('Rule 1 pattern');
  fireEvent.change(pattern, { target: { value: '\\w{500}\\W' } });
  fireEvent.click(within(editor).getByRole('button', { name: 'Save responders' }));

  await waitFor(() => expect(pattern.getAttribute('aria-invalid')).toBe('true'));
  const alert = document.getElementById(pattern.getAttribute('aria-describedby')!)!;
  expect(alert.textContent).toMatch(
    new RegExp(`^rules\\[0\\]\\.match\\.regex: patterns larger than ${MAX_REGEX_INSTRUCTIONS} RE2 instructions`),
  );
  expect(alert.textContent).toContain('(this one has 503:');
  expect(api.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
});
