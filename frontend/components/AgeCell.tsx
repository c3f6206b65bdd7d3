// Age of a row: ticks with the shared clock while the socket lives; frozen at its lifetime once closed.
import { memo } from 'react';
import { age, clock, duration } from '../format';
import { useNow } from '../hooks/useNow';

function LiveAge(props: { createdAt: number }) {
  return <>{age(props.createdAt, useNow())}</>;
}

export const AgeCell = memo(function AgeCell(props: { createdAt: number; closedAt: number | null }) {
  const { createdAt, closedAt } = props;
  return (
    <td
      data-col="age"
      className="num"
      title={`opened ${clock(createdAt)}${closedAt === null ? '' : `, closed ${clock(closedAt)}: lifetime`}`}
    >
      {closedAt === null ? <LiveAge createdAt={createdAt} /> : duration(closedAt - createdAt)}
    </td>
  );
});
