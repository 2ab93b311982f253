/**
 * The request target (path and query string) of an AWS SDK v3 HTTP request, as an HTTP server would see it
 * on the request line: what an in-process SQS endpoint and the fault layer read in place of a socket.
 */
export function sdkRequestTarget(path: string, query: Record<string, string | string[] | null> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null) params.append(key, "");
    else if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, value);
  }
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}
