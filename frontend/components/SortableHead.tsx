// A <thead> whose every column is a sort button, with aria-sort on the sorted one; used by both tables.
import { memo } from 'react';
import type { Sort } from '../state/sort';

export interface HeadColumn<C extends string> {
  readonly id: C;
  readonly label: string;
  readonly title?: string;
  readonly num?: boolean;
}

const ariaSort = <C extends string>(sort: Sort<C> | null, column: C) =>
  sort?.column === column ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined;

function SortableHeadImpl<C extends string>(props: {
  columns: readonly HeadColumn<C>[];
  sort: Sort<C> | null;
  onSort: (column: C) => void;
}) {
  const { sort } = props;
  return (
    <thead>
      <tr>
        {props.columns.map((c) => (
          <th
            key={c.id}
            scope="col"
            data-col={c.id}
            aria-sort={ariaSort(sort, c.id)}
            className={c.num ? 'num' : undefined}
            title={c.title}
          >
            <button type="button" onClick={() => props.onSort(c.id)}>
              {c.label}
              <span className="sort-mark" aria-hidden="true">
                {sort?.column === c.id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          </th>
        ))}
      </tr>
    </thead>
  );
}

export const SortableHead = memo(SortableHeadImpl) as typeof SortableHeadImpl;
