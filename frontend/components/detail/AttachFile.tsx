// "Attach file…" (a labelled file input) and, once attached, the file as "name.bin · 12.3 KiB" with its remove button.
import { bytes } from '../../format';
import type { AttachedFile } from './use-attached-file';

export function AttachButton(props: { onFile: (file: File) => void; disabled?: boolean; describedBy?: string }) {
  return (
    <label className="dt-attach" aria-disabled={props.disabled || undefined}>
      Attach file…
      <input
        type="file"
        className="dt-file-input"
        disabled={props.disabled}
        aria-describedby={props.describedBy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // choosing the same file again fires change again
          if (file) props.onFile(file);
        }}
      />
    </label>
  );
}

export function FileChip(props: { file: AttachedFile; onRemove: () => void }) {
  const { file } = props;
  return (
    <div className="dt-file" aria-label="Attached file" role="group">
      <span className="mono dt-file-name" title={`${file.size.toLocaleString('en-US')} bytes, sent as base64`}>
        {file.name} · {bytes(file.size)}
      </span>
      <button type="button" onClick={props.onRemove} aria-label={`Remove ${file.name}`}>
        Remove
      </button>
    </div>
  );
}
