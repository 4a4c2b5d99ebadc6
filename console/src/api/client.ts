// The one way the console talks to the gateway: JSON over fetch with the signed-in person's
// bearer token; every error answer is RFC 9457 problem details, raised as ApiProblem.

export interface InvalidParam {
  name: string;
  reason: string;
}

/** An `application/problem+json` answer of the gateway (or a network failure, status 0). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly invalidParams: InvalidParam[] = [],
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }

  /** The reason given for one field (dotted path such as `complainant.name`), if any. */
  fieldError(name: string): string | undefined {
    return this.invalidParams.find((param) => param.name === name)?.reason;
  }
}

let tokenSource: () => string | null = () => null;
let onUnauthenticated: () => void = () => undefined;

/** The sign-in module sets where the access token comes from and what a 401 does. */
export function configureApi(source: () => string | null, unauthenticated: () => void): void {
  tokenSource = source;
  onUnauthenticated = unauthenticated;
}

type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(name, value.join(','));
    } else params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    const body = (await response.json()) as Partial<{
      type: string;
      title: string;
      detail: string;
      invalidParams: InvalidParam[];
    }>;
    return new ApiProblem(
      response.status,
      body.type ?? 'about:blank',
      body.title ?? response.statusText,
      body.detail,
      body.invalidParams ?? [],
    );
  }
  return new ApiProblem(response.status, 'about:blank', response.statusText || `HTTP ${response.status}`, undefined);
}

export async function request(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const token = tokenSource();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json, application/problem+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiProblem(0, 'network', 'network error', error instanceof Error ? error.message : String(error));
  }
  if (response.status === 401) onUnauthenticated();
  if (!response.ok) throw await problemOf(response);
  return response;
}

export async function getJson<T>(path: string, query?: Query): Promise<T> {
  return (await (await request('GET', withQuery(path, query))).json()) as T;
}

export async function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await request(method, path, body);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a file answer (report exports) and hands it to the browser as a download. */
export async function download(path: string, query: Query, fallbackName: string): Promise<void> {
  const response = await request('GET', withQuery(path, query), undefined, { accept: '*/*' });
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = match ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
