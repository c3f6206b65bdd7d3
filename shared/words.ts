// Counted nouns, one wording for the UI, the API's messages, the CLI and scenario labels: `1 row`, `2 rows`.

const grouped = new Intl.NumberFormat('en-US').format;

/**
 * `1 row`, `2 rows`, `1,024 rows`: the noun agrees with the number (`many` for irregular plurals). A string count (a
 * scenario's `${vars.n}` not filled in yet) is shown as written and takes the plural unless it reads `1`.
 */
export const plural = (n: number | string, one: string, many = `${one}s`): string =>
  `${typeof n === 'number' ? grouped(n) : n} ${noun(n, one, many)}`;

/** The noun alone, agreeing with n: for `3 of ${noun(1, 'row')}` style phrases. */
export const noun = (n: number | string, one: string, many = `${one}s`): string => (String(n) === '1' ? one : many);
