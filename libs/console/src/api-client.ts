/** An answer of the query API that is not a 2xx: its status decides the console's page (401 sign in again, 404, ...). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`the API answered ${status}: ${detail}`);
  }
}

/**
 * The console reads the same query API as everyone else, with the signed-in user's own access token: the API's
 * guards decide what the user may see (their own force only; suppression of small national counts), and its
 * Section 62 access log records every read (ADR 0040).
 */
export class ApiClient {
  constructor(private readonly baseUrl: () => string) {}

  async get<T>(accessToken: string, path: string, query: Readonly<Record<string, string | undefined>> = {}): Promise<T> {
    const url = new URL(path, this.baseUrl());
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(key, value);
    return answerOf<T>(await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } }));
  }

  /** An action the API offers the user (e.g. verify the audit logs now), with the user's token like every read. */
  async post<T>(accessToken: string, path: string, body: unknown = {}): Promise<T> {
    const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json', 'content-type': 'application/json' };
    return answerOf<T>(await fetch(new URL(path, this.baseUrl()), { method: 'POST', headers, body: JSON.stringify(body) }));
  }
}

async function answerOf<T>(response: globalThis.Response): Promise<T> {
  const body = await response.text();
  if (!response.ok) {
    let detail = body.slice(0, 500);
    try {
      const problem = JSON.parse(body) as { detail?: string; title?: string; errors?: { field?: string; reason?: string }[] };
      // problem+json naming the fields at fault (a filter): said field by field.
      const fields = (problem.errors ?? []).map((e) => `${(e.field ?? '').replace(/^\//, '')} ${e.reason ?? ''}`.trim());
      detail = fields.length > 0 ? fields.join('; ') : (problem.detail ?? problem.title ?? detail);
    } catch {
      // not problem+json: keep the text
    }
    throw new ApiError(response.status, detail);
  }
  return JSON.parse(body) as T;
}
