// @vitest-environment node
// Node's own Blob, File and Response, as a browser has them (jsdom's Blob cannot be read by
// the Response that parses the multipart body back).
import { describe, expect, it, vi } from "vitest";

import { ApiError } from "../api/client";
import { dataUrl, createImageClient, imagePath, multipartFile, newBoundary, safeFileName } from "./images";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);

describe("multipartFile", () => {
  it("is a multipart/form-data body with the file in the field `file`, as the stock service reads it", async () => {
    const file = new File([PNG], "arroz.png", { type: "image/png" });
    const body = multipartFile(file);
    expect(body.type).toMatch(/^multipart\/form-data; boundary=----pedidos-[0-9a-z]{24}$/);

    // Parsed back the way a server would, from the body and its Content-Type.
    const form = await new Response(body, { headers: { "Content-Type": body.type } }).formData();
    const sent = form.get("file") as File;
    expect(sent.name).toBe("arroz.png");
    expect(sent.type).toBe("image/png");
    expect(new Uint8Array(await sent.arrayBuffer())).toEqual(PNG);
  });

  it("keeps the boundary in lower case (a Blob's type is lower-cased)", () => {
    const boundary = newBoundary();
    expect(boundary).toBe(boundary.toLowerCase());
    expect(multipartFile(new Blob([PNG], { type: "image/png" }), "file", boundary).type).toBe(
      `multipart/form-data; boundary=${boundary}`,
    );
  });

  it("never lets a file name break the part's headers", () => {
    expect(safeFileName('foto "nova"\r\n.jpg')).toBe("foto _nova___.jpg");
    expect(safeFileName("  ")).toBe("imagem");
  });
});

describe("downloading an image with the token", () => {
  it("turns the file into a data: URL", async () => {
    expect(dataUrl(new Uint8Array([1, 2, 3]), "image/png")).toBe("data:image/png;base64,AQID");
    expect(dataUrl(new Uint8Array(100_000).fill(255), "image/jpeg")).toMatch(/^data:image\/jpeg;base64,\/\/\/\//);
  });

  it("strips the API prefix from the image's url", () => {
    expect(imagePath("/api/v1/products/p/images/i")).toBe("/products/p/images/i");
  });

  it("sends the bearer token and answers the image as a data: URL", async () => {
    const fetchImpl = vi.fn(
      async () => new Response(new Uint8Array([1, 2, 3]), { status: 200, headers: { "Content-Type": "image/webp" } }),
    );
    const client = createImageClient("http://api.test", fetchImpl);
    const url = await client.request<string>("/products/p/images/i", { token: "abc" });
    expect(url).toBe("data:image/webp;base64,AQID");
    const [address, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(address).toBe("http://api.test/api/v1/products/p/images/i");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer abc");
  });

  it("lets an error envelope through as the ApiError it is", async () => {
    const fetchImpl = vi.fn(
      async () =>
        new Response(JSON.stringify({ status: "error", message: "Produto não encontrado.", code: "not_found" }), {
          status: 404,
          headers: { "Content-Type": "application/json" },
        }),
    );
    const client = createImageClient("http://api.test", fetchImpl);
    const failure = client.request<string>("/products/p/images/i", { token: "abc" });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 404, message: "Produto não encontrado." });
  });
});
