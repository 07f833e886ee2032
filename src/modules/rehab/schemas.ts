// The contract of the module: what clients send, then what they receive.

export * from './answer-schemas.ts';
export * from './request-schemas.ts';

/** One list for every operation of the module: the contract names it once. */
export const tags = ['Rehabilitation'];
