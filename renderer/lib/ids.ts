/** A random id for uploads and jobs (getRandomValues works on plain http too, unlike randomUUID). */
export function randomId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}
