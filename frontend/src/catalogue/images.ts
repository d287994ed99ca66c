/**
 * Product images over the API. Both directions need more than JSON:
 *
 * - Upload: the stock service reads `multipart/form-data` with the file in the field `file`
 *   (api/products.py). The API client sends a `rawBody` with the Blob's own type as the
 *   Content-Type, so the multipart body is built here as one Blob whose type carries the
 *   boundary. A Blob's type is lower-cased by the browser, so the boundary is lower case too.
 * - Download: `GET /products/{id}/images/{image_id}` wants the same bearer token as any other
 *   read, so an <img src> cannot fetch it. `imageClient` is an ApiClient whose fetch turns an
 *   image answer into the envelope the client expects, with a data: URL as its `data`; going
 *   through `authorizedRequest` keeps the token renewal and the error envelopes (404 …).
 */
import { API_PREFIX, ApiClient, api } from "../api/client";

/** A boundary no file byte sequence is likely to hold, in lower case (see above). */
export function newBoundary(random: () => number = Math.random): string {
  let tail = "";
  for (let index = 0; index < 24; index += 1) {
    tail += Math.floor(random() * 36).toString(36);
  }
  return `----pedidos-${tail}`;
}

/** A file name safe inside a quoted header parameter (no quotes, no line breaks). */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\r\n"\\]/g, "_").trim();
  return cleaned === "" ? "imagem" : cleaned;
}

/** `file` as a multipart/form-data body with one part, `field`. */
export function multipartFile(
  file: Blob & { name?: string },
  field = "file",
  boundary = newBoundary(),
): Blob {
  const type = file.type || "application/octet-stream";
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${field}"; filename="${safeFileName(file.name ?? "imagem")}"\r\n` +
    `Content-Type: ${type}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  return new Blob([head, file, tail], { type: `multipart/form-data; boundary=${boundary}` });
}

/** The image's `url` (with /api/v1) as a path for the API client (without it). */
export function imagePath(url: string): string {
  return url.startsWith(API_PREFIX) ? url.slice(API_PREFIX.length) : url;
}

/** Bytes as a data: URL of this type. */
export function dataUrl(bytes: Uint8Array, type: string): string {
  let binary = "";
  const chunk = 0x8000;
  for (let start = 0; start < bytes.length; start += chunk) {
    binary += String.fromCharCode(...bytes.subarray(start, start + chunk));
  }
  return `data:${type || "application/octet-stream"};base64,${btoa(binary)}`;
}

type Fetch = typeof fetch;

/** A fetch whose image answers become `{status: "success", data: "data:image/…"}`. */
export function imageFetch(fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init)): Fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const type = response.headers.get("Content-Type") ?? "";
    if (!response.ok || !type.toLowerCase().startsWith("image/")) {
      return response; // errors (JSON envelopes) go through untouched
    }
    const data = dataUrl(new Uint8Array(await response.arrayBuffer()), type.split(";")[0].trim());
    const headers = new Headers({ "Content-Type": "application/json" });
    const requestId = response.headers.get("X-Request-ID");
    if (requestId) {
      headers.set("X-Request-ID", requestId);
    }
    return new Response(JSON.stringify({ status: "success", data }), { status: 200, headers });
  };
}

export function createImageClient(baseUrl: string, fetchImpl?: Fetch): ApiClient {
  return new ApiClient(baseUrl, imageFetch(fetchImpl));
}

export const imageClient = createImageClient(api.baseUrl);
