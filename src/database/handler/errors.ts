/** Error messages of the bootstrap handler. */

/** An error's message. Duck-typed: errors of Node's core modules may come from another realm (jest). */
export function messageOf(e: unknown): string {
  if (isErrorLike(e)) {
    // AggregateError (e.g. ECONNREFUSED on IPv4 and IPv6) has an empty message; use the first cause.
    const first = (e as unknown as AggregateError).errors?.[0];
    return e.message || (isErrorLike(first) ? first.message : '') || e.code || e.name;
  }
  return String(e);
}

function isErrorLike(e: unknown): e is NodeJS.ErrnoException {
  return typeof e === 'object' && e !== null && typeof (e as Error).message === 'string' && typeof (e as Error).name === 'string';
}
