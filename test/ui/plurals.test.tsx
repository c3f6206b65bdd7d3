// Counts in the dashboard read as English: "1 row", not "1 rows".
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Header } from '../../frontend/components/Header';
import { TableStatus } from '../../frontend/components/TableStatus';
import { Store } from '../../frontend/state/store';
import { runSummary, type LabRun } from '../../frontend/state/lab-run';
import { sentNote } from '../../frontend/state/send-options';
import { snapshot } from '../frontend/table-factories';

afterEach(cleanup);

describe('counted nouns', () => {
  it('the table status: 1 row, 2 rows, 1 of 2 rows matches', () => {
    const { rerender } = render(<TableStatus matching={1} total={1} sort={null} />);
    expect(screen.getByText('1 row')).toBeTruthy();
    rerender(<TableStatus matching={2} total={2} sort={null} />);
    expect(screen.getByText('2 rows')).toBeTruthy();
    rerender(<TableStatus matching={1} total={2} sort={null} />);
    expect(screen.getByText('1 of 2 rows matches')).toBeTruthy();
    rerender(<TableStatus matching={0} total={1} sort={null} />);
    expect(screen.getByText('0 of 1 row match')).toBeTruthy();
  });

  it('the header: 1 event missed', () => {
    const store = new Store(() => {});
    render(<Header store={store} />);
    act(() => {
      store.receive(snapshot(10, [], { since: 2, lagged: true, missed: 1 }));
      store.flush();
    });
    expect(screen.getByText('1 event missed')).toBeTruthy();
  });

  it('a lab run of one step and a send of one write', () => {
    const run: LabRun = {
      lab: 'hello',
      id: 'r-1',
      status: 'passed',
      steps: [{ index: 0, label: 'listen srv', status: 'ok', elapsedMs: 1, message: null }],
      elapsedMs: 100,
      failedStep: null,
      session: null,
      error: null,
    };
    expect(runSummary(run)).toBe('passed: 1 of 1 step ok in 0.1 s');
    const reply = { id: 'c-1', bytes: 10, bytesOut: 10, queuedBytes: 0, writes: 1, stopped: 'closed' };
    expect(sentNote(reply, (n) => `${n} B`, 1)).toBe('Sent 10 B in 1 of 1 write; stopped early: closed.');
  });
});
