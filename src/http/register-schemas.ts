import { z } from 'zod';

// Field shapes the registers of people (inmates, officers) share.

export const Sex = z.enum(['male', 'female']);

/** A field that names a person: null for callers without the personal_data scope. */
export const personal = (schema: z.ZodType) =>
  schema.nullable().meta({ description: 'Personal data: null for callers without the personal_data scope' });
