/**
 * A folder name for a project name: keeps letters of any script (Chinese names stay readable),
 * replaces characters no file system accepts, and never yields a dot-name or an empty string.
 */
export function folderNameFor(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .trim()
    // eslint-disable-next-line no-control-regex -- control characters are exactly what file systems refuse
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s-]+|[.\s]+$/g, '')
    .slice(0, 60)
    .trim();
  if (!cleaned || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned)) return 'project';
  return cleaned;
}
