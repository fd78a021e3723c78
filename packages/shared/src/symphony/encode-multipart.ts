import { randomBytes } from 'node:crypto';

const CRLF = '\r\n';
/** Boundaries: a random part drawn once per process and a counter (no random draw per message). */
const BOUNDARY_BASE = `----baton-${randomBytes(8).toString('hex')}-`;
let boundaries = 0;

/** A part name or filename in a Content-Disposition header, escaped as the HTML form-data encoding does. */
const escapeName = (s: string): string => s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');

/**
 * A FormData as a `multipart/form-data` body, encoded in one pass: the algorithm of the HTML standard (and of
 * undici's and axios' encoders: names escaped, line breaks of text values as CRLF, each file with its filename
 * and type), without the web-stream machinery of `new Response(form)`, which cost some 0.25 ms per message.
 */
export async function encodeMultipart(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const boundary = `${BOUNDARY_BASE}${(boundaries++).toString(36)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of form) {
    let head = `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(name)}"`;
    if (typeof value === 'string') {
      head += `${CRLF}${CRLF}`;
      chunks.push(Buffer.from(head + value.replace(/\r\n|\r|\n/g, CRLF) + CRLF, 'utf8'));
    } else {
      head += `; filename="${escapeName(value.name)}"${CRLF}`;
      head += `Content-Type: ${value.type || 'application/octet-stream'}${CRLF}${CRLF}`;
      chunks.push(Buffer.from(head, 'utf8'), Buffer.from(await value.arrayBuffer()), Buffer.from(CRLF));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
