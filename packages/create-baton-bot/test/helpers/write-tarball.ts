import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

/** Writes a gzipped ustar archive like `pnpm pack` does: `package/README.md`, then `package/package.json`. */
export async function writeTarball(path: string, manifest: Record<string, unknown>): Promise<void> {
  const files: [string, string][] = [
    ['package/README.md', `# ${String(manifest['name'])}\n`.repeat(40)],
    ['package/package.json', JSON.stringify(manifest, null, 2)],
  ];
  const blocks: Buffer[] = [];
  for (const [name, text] of files) {
    const body = Buffer.from(text);
    blocks.push(header(name, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  await writeFile(path, gzipSync(Buffer.concat(blocks)));
}

function header(name: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'ascii'); // mode
  block.write('0000000\0', 108, 'ascii'); // uid
  block.write('0000000\0', 116, 'ascii'); // gid
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  block.write('00000000000\0', 136, 'ascii'); // mtime
  block.write('        ', 148, 'ascii'); // checksum placeholder
  block.write('0', 156, 'ascii'); // regular file
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}
