/**
 * Where a template file lands in the new project: a leading `_` of the file name becomes `.`
 * (`_gitignore` → `.gitignore`), because npm leaves some dotfiles out of a published package.
 */
export function outputPath(templatePath: string): string {
  const slash = templatePath.lastIndexOf('/');
  const dir = templatePath.slice(0, slash + 1);
  const base = templatePath.slice(slash + 1);
  return base.startsWith('_') ? `${dir}.${base.slice(1)}` : templatePath;
}
