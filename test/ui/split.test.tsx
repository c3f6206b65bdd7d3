// The table/detail split in jsdom: an ARIA separator moved by keys or by dragging, remembered in localStorage.
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SPLIT_KEY } from '../../frontend/state/split';
import { client } from '../frontend/table-factories';
import { mountApp, useTableViewport } from './app-harness';

vi.mock('../../frontend/components/detail/DetailPane', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewListenerForm', () => import('./app-placeholders'));
vi.mock('../../frontend/components/forms/NewConnectionForm', () => import('./app-placeholders'));

useTableViewport();
// jsdom lays nothing out and has no pointer events: the workspace is 1000 px tall at y = 100.
const rect = Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect');
beforeAll(() => {
  Element.prototype.getBoundingClientRect = function (this: Element) {
    return this.classList.contains('workspace')
      ? DOMRect.fromRect({ x: 0, y: 100, width: 1200, height: 1000 })
      : DOMRect.fromRect({ x: 0, y: 0, width: 0, height: 0 });
  };
  // jsdom has no PointerEvent: a MouseEvent with a pointerId is all the divider reads.
  if (typeof window.PointerEvent !== 'function')
    window.PointerEvent = class extends MouseEvent {
      readonly pointerId: number;
      constructor(type: string, init: PointerEventInit = {}) {
        super(type, init);
        this.pointerId = init.pointerId ?? 0;
      }
    } as unknown as typeof PointerEvent;
  Element.prototype.setPointerCapture = () => {};
  Element.prototype.releasePointerCapture = () => {};
});
afterAll(() => {
  if (rect) Object.defineProperty(Element.prototype, 'getBoundingClientRect', rect);
});
beforeEach(() => localStorage.clear());
afterEach(cleanup);

const divider = () => screen.getByRole('separator', { name: 'Resize the table and the detail pane' });
const share = () => Number(divider().getAttribute('aria-valuenow'));
const workspaceSplit = () => (document.querySelector('.workspace') as HTMLElement).style.getPropertyValue('--split');
const saved = () => JSON.parse(localStorage.getItem(SPLIT_KEY) ?? 'null') as unknown;

describe('the table/detail split', () => {
  it('starts at 60% and moves with the keys, each move remembered', () => {
    mountApp([client(1)]);
    expect(divider().getAttribute('aria-orientation')).toBe('horizontal');
    expect(divider().getAttribute('aria-controls')).toBe('detail-section');
    expect(document.getElementById('detail-section')).not.toBeNull();
    expect(divider().tabIndex).toBe(0);
    expect(share()).toBe(60);
    expect(workspaceSplit()).toBe('60%');
    fireEvent.keyDown(divider(), { key: 'ArrowUp' });
    expect(share()).toBe(55);
    expect(workspaceSplit()).toBe('55%');
    expect(saved()).toEqual({ rows: 55, columns: 68 });
    fireEvent.keyDown(divider(), { key: 'ArrowDown', shiftKey: true });
    expect(share()).toBe(56);
    fireEvent.keyDown(divider(), { key: 'Home' });
    expect(share()).toBe(15);
    fireEvent.keyDown(divider(), { key: 'ArrowUp' });
    expect(share()).toBe(15);
    fireEvent.keyDown(divider(), { key: 'End' });
    expect(share()).toBe(85);
    fireEvent.keyDown(divider(), { key: 'x' });
    expect(saved()).toEqual({ rows: 85, columns: 68 });
  });

  it('follows a drag and remembers where it was dropped across a reload', () => {
    mountApp([client(1)]);
    fireEvent.pointerDown(divider(), { button: 0, pointerId: 1, clientX: 600, clientY: 700 });
    fireEvent.pointerMove(divider(), { pointerId: 1, clientX: 600, clientY: 400 });
    expect(share()).toBe(30);
    // Not written while dragging: only the drop is remembered.
    expect(saved()).toBeNull();
    fireEvent.pointerUp(divider(), { pointerId: 1, clientX: 600, clientY: 350 });
    expect(share()).toBe(25);
    expect(saved()).toEqual({ rows: 25, columns: 68 });
    // A move without a press does nothing; a drag past the end stops at the bound.
    fireEvent.pointerMove(divider(), { pointerId: 1, clientX: 600, clientY: 900 });
    expect(share()).toBe(25);
    cleanup();

    mountApp([client(1)]);
    expect(share()).toBe(25);
    expect(workspaceSplit()).toBe('25%');
  });

  it('ignores a saved value it cannot read, and clamps one out of bounds', () => {
    localStorage.setItem(SPLIT_KEY, '{not json');
    mountApp([client(1)]);
    expect(share()).toBe(60);
    cleanup();
    localStorage.setItem(SPLIT_KEY, JSON.stringify({ rows: 99, columns: 'wide' }));
    mountApp([client(1)]);
    expect(share()).toBe(85);
  });
});
