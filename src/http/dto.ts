// Small conversions for replies: the contract speaks RFC 3339 strings and local dates.
export const iso = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();
export const isoNotNull = (value: Date | string): string => iso(value) as string;
