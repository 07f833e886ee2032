import { z } from 'zod';
import { PROVINCE_CODES, TIME_ZONES } from '../modules/organisations/provinces.ts';

// Building blocks shared by every module's contract.
export const Id = z.uuid().meta({ id: 'Id', description: 'UUIDv7', example: '01938a6e-2f4c-7b1a-9c3d-5e6f7a8b9c0d' });
export const IdParams = <K extends string>(name: K) => z.strictObject({ [name]: Id } as Record<K, typeof Id>);
export const Timestamp = z.iso.datetime({ offset: true }).meta({ example: '2024-12-13T09:30:00+07:00' });
// Years the records can hold: nothing before 1900 or after 2199 is a real date here.
export const LocalDate = z.iso
  .date()
  .refine((d) => d >= '1900-01-01' && d <= '2199-12-31', 'a date between 1900 and 2199')
  .meta({ example: '2024-12-13' });
export const ProvinceCode = z.enum(PROVINCE_CODES).meta({ description: 'Kemendagri/BPS province code', example: '33' });
export const TimeZone = z.enum(TIME_ZONES).meta({ description: 'WIB, WITA or WIT', example: 'Asia/Jakarta' });

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Page size, 1 to 200' }),
  cursor: z.string().max(200).optional().meta({ description: 'next_cursor of the previous page' }),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    next_cursor: z.string().nullable().meta({ description: 'Pass as cursor for the next page; null on the last' }),
  });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    request_id: z.string(),
    errors: z
      .array(
        z.object({
          in: z.enum(['body', 'querystring', 'params', 'headers']),
          pointer: z.string(),
          detail: z.string(),
        }),
      )
      .optional(),
  })
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details; detail in Indonesian when Accept-Language prefers id',
  });
