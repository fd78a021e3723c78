/** Bytes of a Symphony stream id (and message id): the ids in its documented events all decode to 25. */
export const SYMPHONY_ID_BYTES = 25;
/** Length of the API form: URL-safe base64 of 25 bytes, no padding. */
export const URL_SAFE_ID_LENGTH = 34;

export type SymphonyIdCheck =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks that `id` is a Symphony stream id in one of the two forms Symphony issues, and gives its API form:
 * - the API form, URL-safe base64 without padding: 34 characters of `A–Z a–z 0–9 - _`;
 * - the UI form (also in older events), standard base64 with padding: 34 characters of `A–Z a–z 0–9 + /`
 *   then `==` (36 in all), converted to the API form.
 * Either must decode to exactly 25 bytes in its canonical encoding (the last character's unused bits zero), so
 * two different texts never name the same stream. Anything else is refused with the reason: characters outside
 * base64, the two alphabets mixed, padding on the URL-safe form, the standard form without its padding, another
 * length. (`toUrlSafeId` converts without checking; this is the check.)
 */
export function checkSymphonyId(id: string): SymphonyIdCheck {
  const fail = (why: string): SymphonyIdCheck => ({ ok: false, reason: `not a Symphony id: ${why}` });
  if (/[^A-Za-z0-9+/_=-]/.test(id)) return fail('characters outside base64');
  const urlSafeChars = /[-_]/.test(id);
  const standardChars = /[+/]/.test(id);
  if (urlSafeChars && standardChars)
    return fail('mixes the URL-safe (-_) and standard (+/) base64 alphabets');
  let body = id;
  if (id.includes('=')) {
    if (urlSafeChars) return fail('padding on a URL-safe id');
    if (!/^[A-Za-z0-9+/]{34}==$/.test(id)) {
      return fail(
        `standard base64 must be ${URL_SAFE_ID_LENGTH} characters then "==", found ${id.length} in all`,
      );
    }
    body = id.slice(0, URL_SAFE_ID_LENGTH).replace(/\+/g, '-').replace(/\//g, '_');
  } else if (standardChars) {
    return fail('standard base64 (+/) without its "==" padding');
  }
  if (body.length !== URL_SAFE_ID_LENGTH) {
    return fail(`${body.length} characters, expected ${URL_SAFE_ID_LENGTH} (25 bytes)`);
  }
  if (Buffer.from(body, 'base64url').toString('base64url') !== body) {
    return fail('not the canonical encoding of 25 bytes (its last character has unused bits set)');
  }
  return { ok: true, id: body };
}
