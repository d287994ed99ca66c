import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { formatNumber } from "../i18n/format";
import { catalogueKeys, deleteProductImage, uploadProductImage } from "./api";
import { AuthorizedImage } from "./AuthorizedImage";
import type { Product } from "./types";
import { ConfirmAction } from "./ui";

/** The types the stock service accepts (it checks the content, not the name). */
const ACCEPTED = "image/jpeg,image/png,image/webp";

/** A file the browser says is not JPEG, PNG or WebP (an unknown type is left to the service). */
function unacceptedType(file: File): boolean {
  return file.type !== "" && !ACCEPTED.split(",").includes(file.type);
}

interface Chosen {
  file: File;
  /** An object URL for the preview, revoked when replaced, sent or left. */
  url: string;
}

/** A product's photos: each with its removal, and a new one previewed before it is sent. */
export function ProductImages({ product }: { product: Product }) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);

  useEffect(() => {
    if (!chosen) {
      return;
    }
    const url = chosen.url;
    return () => URL.revokeObjectURL(url);
  }, [chosen]);

  function refresh() {
    void queryClient.invalidateQueries({ queryKey: catalogueKeys.product(product.id) });
    void queryClient.invalidateQueries({ queryKey: catalogueKeys.products() });
  }

  const upload = useMutation({
    mutationFn: (file: File) => uploadProductImage(product.id, file),
    onSuccess: () => {
      discard();
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (imageId: string) => deleteProductImage(product.id, imageId),
    onSuccess: refresh,
  });

  function choose(file: File | undefined) {
    upload.reset();
    setChosen(file ? { file, url: URL.createObjectURL(file) } : null);
  }

  function discard() {
    setChosen(null);
    if (input.current) {
      input.current.value = "";
    }
  }

  function send(event: FormEvent) {
    event.preventDefault();
    if (chosen) {
      upload.mutate(chosen.file);
    }
  }

  return (
    <section className="card wide cat-page" aria-labelledby={`${id}-title`} data-testid="product-images">
      <h2 id={`${id}-title`}>{t("images.title")}</h2>
      {product.images.length === 0 ? (
        <p className="cat-empty">{t("images.empty")}</p>
      ) : (
        <ul className="cat-gallery">
          {product.images.map((image, index) => (
            <li key={image.id} data-testid="product-image">
              <AuthorizedImage
                url={image.url}
                alt={t("images.alt", { name: product.name, number: index + 1 })}
                className="cat-gallery-image"
              />
              <span className="muted small">{t("images.size", { size: formatNumber(Math.ceil(image.size_bytes / 1024)) })}</span>
              <ConfirmAction
                small
                label={t("images.delete")}
                question={t("images.deleteQuestion", { number: index + 1 })}
                confirmLabel={t("images.deleteConfirm")}
                onConfirm={() => remove.mutate(image.id)}
                pending={remove.isPending && remove.variables === image.id}
                testId={`image-delete-${index + 1}`}
              />
            </li>
          ))}
        </ul>
      )}
      {remove.error instanceof ApiError && <ErrorAlert error={remove.error} testId="image-delete-error" />}

      <form className="cat-upload" onSubmit={send}>
        <div className="field">
          <label htmlFor={`${id}-file`}>{t("images.choose")}</label>
          <input
            ref={input}
            id={`${id}-file`}
            type="file"
            accept={ACCEPTED}
            onChange={(event) => choose(event.target.files?.[0])}
            aria-describedby={`${id}-file-hint`}
            data-testid="image-file"
          />
          <p id={`${id}-file-hint`} className="muted small cat-hint">
            {t("images.hint")}
          </p>
        </div>
        {chosen && !unacceptedType(chosen.file) && (
          <figure className="cat-preview" data-testid="image-preview">
            <img src={chosen.url} alt={t("images.previewAlt", { file: chosen.file.name })} />
            <figcaption className="small">
              {chosen.file.name} · {t("images.size", { size: formatNumber(Math.ceil(chosen.file.size / 1024)) })}
            </figcaption>
          </figure>
        )}
        {chosen && unacceptedType(chosen.file) && (
          <p className="field-error" role="alert" data-testid="image-type-error">
            {t("images.wrongType", { file: chosen.file.name })}
          </p>
        )}
        {upload.error instanceof ApiError && <ErrorAlert error={upload.error} testId="image-upload-error" withFieldErrors />}
        {chosen && (
          <div className="buttons">
            <button
              type="submit"
              className="button primary"
              disabled={upload.isPending || unacceptedType(chosen.file)}
              data-testid="image-send"
            >
              {upload.isPending ? t("images.sending") : t("images.send")}
            </button>
            <button type="button" className="button" onClick={discard} disabled={upload.isPending}>
              {t("images.discard")}
            </button>
          </div>
        )}
        <p role="status" className="small">
          {upload.isSuccess ? t("images.sent") : ""}
        </p>
      </form>
    </section>
  );
}
