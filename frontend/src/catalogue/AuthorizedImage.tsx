import { useQuery } from "@tanstack/react-query";

import { catalogueKeys, getImageDataUrl } from "./api";

interface AuthorizedImageProps {
  /** The image's `url` from the API (an authenticated GET). */
  url: string;
  alt: string;
  className?: string;
}

/**
 * A product photo: the file is fetched with the user's token (an <img src> cannot send it)
 * and cached by its URL; an image never changes under the same id.
 */
export function AuthorizedImage({ url, alt, className = "" }: AuthorizedImageProps) {
  const image = useQuery({
    queryKey: catalogueKeys.image(url),
    queryFn: ({ signal }) => getImageDataUrl(url, signal),
    staleTime: Infinity,
  });
  if (image.data) {
    return <img src={image.data} alt={alt} className={className} />;
  }
  return (
    <span
      className={`${className} cat-image-placeholder${image.isError ? " failed" : ""}`}
      role="img"
      aria-label={alt}
      aria-busy={image.isPending}
    />
  );
}
