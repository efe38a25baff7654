// @tryghost/nql-lang ships no types. parse() turns an NQL filter into a Mongo-style query
// object ({ $and: [...] }, { tag: { $in: [...] } }, …); it throws an Error on bad syntax.
declare module '@tryghost/nql-lang' {
  export function parse(input: string, options?: { preserveRelativeDates?: boolean }): Record<string, unknown>;
}
