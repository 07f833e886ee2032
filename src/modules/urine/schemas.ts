// The contract of the module. Components are listed in the order they are declared: what clients
// send first, then what they receive.

export * from './answer-schemas.ts';
export * from './request-schemas.ts';

/** One list for every operation of the module: the contract names it once. */
export const tags = ['Urine testing'];
