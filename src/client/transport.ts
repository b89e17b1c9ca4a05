// The seam between the REST client and the wire. Two implementations share these semantics:
// HTTPS (https-transport.ts, for remote components) and in-process (inside `k8ts server`, with
// the same admission, validation and authorization as the component's own user). Anything that
// can answer a request with a status, headers and a body implements it, e.g. an object literal
// `{ request: (req) => …, stream: (req) => … }`.

export type Query = Readonly<Record<string, string>>;
export type Headers = Readonly<Record<string, string>>;

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. `/api/v1/namespaces/default/pods/p1`; no query string. */
  path: string;
  query?: Query;
  body?: Buffer | string;
  /** Request headers (lower- or mixed-case names), e.g. `content-type`, `accept`. */
  headers?: Headers;
}

export interface TransportResponse {
  status: number;
  /** Response headers with lower-case names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The decoded body (transfer and content encodings already removed). */
  body: Buffer;
}

export interface StreamRequest {
  method: 'GET';
  path: string;
  query?: Query;
  headers?: Headers;
}

export interface TransportStream {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The body as lines without their `\n` (watch events are newline-delimited JSON). For a
   * non-2xx status the lines are the error body. Ends when the server ends the response or
   * `close()` is called; a broken connection ends it too (the reflector re-watches).
   */
  lines: AsyncIterable<string>;
  /** Stops the stream and releases its connection; safe to call more than once. */
  close(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  stream(req: StreamRequest): Promise<TransportStream>;
}

/** Splits a stream of chunks into lines (`\n`-terminated; a trailing partial line is yielded too). */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  let rest = '';
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, i);
      rest = rest.slice(i + 1);
      if (line.trim()) yield line;
    }
  }
  rest += decoder.decode();
  if (rest.trim()) yield rest;
}
