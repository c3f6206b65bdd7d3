// A file attached as the send payload: refused before it is read when larger than the server's maxSendBytes
// (from GET /api/info, asked once per form and only when a file is chosen), else read and base64-encoded once.
import { useEffect, useRef, useState } from 'react';
import { bytesToBase64 } from '../../../shared';
import { api } from '../../api/client';
import { bytes, plural } from '../../format';
import { toActionError, type ActionError } from './use-action';

export interface AttachedFile {
  name: string;
  size: number;
  bytes: Uint8Array;
  base64: string;
}

/** FileReader rather than Blob.arrayBuffer(): jsdom has only the former. */
export function readFileBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsArrayBuffer(file);
  });
}

const exact = (n: number) => plural(n, 'byte');

export function tooLarge(name: string, size: number, max: number): ActionError {
  return {
    code: 'FILE_TOO_LARGE',
    message: `${name} is ${bytes(size)} (${exact(size)}); one send takes at most ${bytes(max)} (${exact(max)}, the server's maxSendBytes).`,
  };
}

export function useAttachedFile() {
  const [file, setFile] = useState<AttachedFile | null>(null);
  const [reading, setReading] = useState<string | null>(null);
  const maxSendBytes = useRef<number | null>(null);
  const latest = useRef(0);
  useEffect(() => {
    const pick = latest;
    return () => {
      pick.current = -1; // unmounted: results arriving later are dropped
    };
  }, []);

  /** Attaches the file, or returns why not (nothing is read when it is too large). */
  const attach = async (f: File): Promise<ActionError | null> => {
    const pick = ++latest.current;
    setReading(f.name);
    try {
      maxSendBytes.current ??= (await api.info()).limits.maxSendBytes;
      const max = maxSendBytes.current;
      if (f.size > max) return tooLarge(f.name, f.size, max);
      const data = await readFileBytes(f);
      if (pick !== latest.current) return null;
      setFile({ name: f.name, size: data.length, bytes: data, base64: bytesToBase64(data) });
      return null;
    } catch (e) {
      const why = toActionError(e);
      return { code: why.code, message: `Could not attach ${f.name}: ${why.message}` };
    } finally {
      if (pick === latest.current) setReading(null);
    }
  };

  return { file, reading, attach, remove: () => setFile(null) };
}
