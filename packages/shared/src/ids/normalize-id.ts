/**
 * Symphony stream and message ids are 25 bytes. The API form is URL-safe base64 without padding; the UI
 * (and some older event payloads) use standard base64 with padding. Baton normalises every id it sees to the
 * API form so the same stream always has the same key.
 */
export function toUrlSafeId(id: string): string {
  if (!/[+/=]/.test(id)) return id;
  return id.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The standard base64 (UI) form of an id, padded to a multiple of 4. */
export function toStandardId(id: string): string {
  const std = id.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}
