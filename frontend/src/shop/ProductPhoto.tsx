import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";

import { fetchImage, imagePath, shopKeys } from "./api";
import type { ProductImage } from "./types";

interface ProductPhotoProps {
  productId: string;
  image: ProductImage | undefined;
  name: string;
}

/**
 * A product's first photo, fetched with the session's token (the image route is
 * authenticated) and shown from a blob; a placeholder when there is none or it fails.
 */
export function ProductPhoto({ productId, image, name }: ProductPhotoProps) {
  const { t } = useTranslation("shop");
  const path = image ? imagePath(productId, image) : null;
  const file = useQuery({
    queryKey: shopKeys.image(path ?? ""),
    queryFn: ({ signal }) => fetchImage(path ?? "", signal),
    enabled: path !== null,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 10 * 60_000,
    retry: false,
  });
  const blob = file.data;
  // The blob's address lives as long as the <img> showing it (React 19 ref cleanup).
  const attach = useCallback(
    (node: HTMLImageElement | null) => {
      if (!node || !blob) {
        return undefined;
      }
      const url = URL.createObjectURL(blob);
      node.src = url;
      return () => URL.revokeObjectURL(url);
    },
    [blob],
  );

  if (path !== null && file.isPending) {
    return <div className="shop-photo shop-skeleton" aria-hidden="true" />;
  }
  if (!blob) {
    return (
      <div className="shop-photo shop-photo-placeholder" role="img" aria-label={t("product.noPhoto", { name })}>
        <span aria-hidden="true">{name.trim().charAt(0).toLocaleUpperCase() || "?"}</span>
      </div>
    );
  }
  return <img ref={attach} className="shop-photo" alt={t("product.photoAlt", { name })} decoding="async" />;
}
