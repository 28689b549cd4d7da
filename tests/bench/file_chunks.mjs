// A file in 16 MiB byte chunks, for Oxigraph's store.load(): the loaders
// stream big N-Quads files without holding them (or their text) in memory.
import fs from 'node:fs';

export function* chunks(path, size = 16 << 20) {
  const fd = fs.openSync(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(size);
      const n = fs.readSync(fd, buf, 0, size, null);
      if (n === 0) return;
      yield new Uint8Array(buf.buffer, buf.byteOffset, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}
