// Escaped UTF-8 text: escape sequences (\r \n \xNN) styled apart from the real characters.
import type { TextPart } from '../../state/escape-text';

export function Escaped(props: { parts: readonly TextPart[] }) {
  return (
    <>
      {props.parts.map((p, i) =>
        p.escape ? (
          <span key={i} className="esc">
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </>
  );
}
