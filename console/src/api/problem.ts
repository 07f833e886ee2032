/** An RFC 9457 answer of the API, as the console shows it. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { in?: string; pointer?: string; detail?: string; field?: string }[];
  [key: string]: unknown;
}

/** A refusal or failure of a request: the API's problem+json, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemBody,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** No answer at all: offline, or the connection dropped. */
  get offline(): boolean {
    return this.status === 0;
  }
}

/** Turns openapi-fetch's answer into the data, or throws the problem. */
export function must<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiError(result.response.status, (result.error ?? {}) as ProblemBody);
}
