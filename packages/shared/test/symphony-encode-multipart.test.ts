import { describe, expect, it } from 'vitest';
import { encodeMultipart } from '../src/symphony/encode-multipart.ts';

describe('encodeMultipart', () => {
  it('encodes text parts and files that a standard multipart parser reads back', async () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255, 13, 10]);
    const form = new FormData();
    form.append('message', '<messageML>a "quoted"\nline</messageML>');
    form.append('data', JSON.stringify({ batonSource: { eventKey: 'k' } }));
    form.append('attachment', new Blob([bytes], { type: 'image/png' }), 'a "b".png');
    const { body, contentType } = await encodeMultipart(form);
    expect(contentType).toMatch(/^multipart\/form-data; boundary=----baton-[0-9a-f]{16}-[0-9a-z]+$/);
    const parsed = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    // Line breaks of text values travel as CRLF (the HTML form-data encoding; undici's and axios' do the same).
    expect(parsed.get('message')).toBe('<messageML>a "quoted"\r\nline</messageML>');
    expect(parsed.get('data')).toBe('{"batonSource":{"eventKey":"k"}}');
    const file = parsed.get('attachment') as File;
    expect(file.name).toBe('a "b".png'); // escaped on the wire as %22, read back
    expect(file.type).toBe('image/png');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
  });
});
