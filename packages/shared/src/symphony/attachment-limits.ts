import { AttachmentLimitError } from './errors.ts';
import type { Attachment } from './types.ts';

/**
 * Symphony's documented limits on the files of one message (symphony-api.md §6: attachments total at most 30 MB,
 * at most 25 files recommended; BDK refuses a file name without an extension). `allowedExtensions` is the pod's
 * own list (`GET /pod/v1/files/allowedTypes`, e.g. `.csv`, `.png`): unset, any type goes and the pod decides.
 */
export interface AttachmentLimits {
  maxFiles: number;
  /** Sum of the files' sizes, in bytes. */
  maxTotalBytes: number;
  /** Lower-case extensions with their dot (`.csv`); undefined = not checked here. */
  allowedExtensions?: readonly string[];
}

export const DEFAULT_ATTACHMENT_LIMITS: Readonly<AttachmentLimits> = Object.freeze({
  maxFiles: 25,
  maxTotalBytes: 30 * 1024 * 1024,
});

/** The largest download `downloadAttachment` accepts when the caller sets no bound: what a message can carry. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = DEFAULT_ATTACHMENT_LIMITS.maxTotalBytes;

const MAX_NAME_LENGTH = 255;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const BAD_NAME_CHARS = /[\u0000-\u001f\u007f/\\]/;

/** The extension of a file name, lower-cased with its dot (`report.CSV` → `.csv`), or undefined. */
export function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot === -1 || dot === name.length - 1 ? undefined : name.slice(dot).toLowerCase();
}

/**
 * Throws `AttachmentLimitError` when `files` break `limits`: more than `maxFiles`, more than `maxTotalBytes` in
 * all, a name that is empty, longer than 255 characters, holds a control character or a path separator, or has
 * no extension, or an extension outside `allowedExtensions`. Called before the call, so nothing is sent.
 */
export function checkAttachments(
  files: readonly Attachment[],
  limits: Readonly<AttachmentLimits> = DEFAULT_ATTACHMENT_LIMITS,
): void {
  if (files.length > limits.maxFiles) {
    throw new AttachmentLimitError(
      `A message can carry at most ${limits.maxFiles} files (got ${files.length})`,
      'count',
    );
  }
  let total = 0;
  for (const file of files) {
    const name = file.filename;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
      throw new AttachmentLimitError(
        `Attachment names must be 1 to ${MAX_NAME_LENGTH} characters (got ${JSON.stringify(String(name).slice(0, 40))})`,
        'name',
      );
    }
    if (BAD_NAME_CHARS.test(name)) {
      throw new AttachmentLimitError(
        `Attachment name ${JSON.stringify(name)} holds a control character or a path separator`,
        'name',
      );
    }
    const ext = extensionOf(name);
    if (ext === undefined) {
      throw new AttachmentLimitError(
        `Attachment name ${JSON.stringify(name)} has no extension (Symphony needs one, e.g. "report.txt")`,
        'name',
      );
    }
    if (limits.allowedExtensions && !limits.allowedExtensions.includes(ext)) {
      throw new AttachmentLimitError(
        `Attachment ${JSON.stringify(name)}: type ${ext} is not allowed (allowed: ${limits.allowedExtensions.join(' ')})`,
        'type',
      );
    }
    total += file.content.byteLength;
  }
  if (total > limits.maxTotalBytes) {
    throw new AttachmentLimitError(
      `Attachments total ${total} bytes, more than the ${limits.maxTotalBytes} a message can carry`,
      'total-size',
    );
  }
}
