import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { useCurrentUser } from "../auth/SessionContext";
import { formatDateTime } from "../i18n/format";
import { StockPanel } from "../stock/StockPanel";
import { stockKeys } from "../stock/stock";
import { catalogueKeys, deleteProduct, getProduct } from "./api";
import { ProductForm } from "./ProductForm";
import { ProductImages } from "./ProductImages";
import { ConfirmAction, QueryError, Skeleton } from "./ui";
import "./catalogue.css";

/** Novo produto (/produtos/novo): the form; once saved, the product's own page (images, stock). */
export function NewProductPage() {
  const { t } = useTranslation("catalogue");
  const navigate = useNavigate();
  return (
    <section className="card wide cat-page" aria-labelledby="new-product-title" data-testid="new-product-page">
      <BackLink to="/produtos" label={t("products.back")} />
      <h1 id="new-product-title">{t("products.new")}</h1>
      <p className="muted small">{t("products.newHint")}</p>
      <ProductForm
        onSaved={(product) => navigate(`/produtos/${product.id}`, { replace: true, state: { created: true } })}
      />
    </section>
  );
}

/** A product (/produtos/:id): its fields, its photos, its stock and ledger; deletion for admin. */
export function ProductPage() {
  const { id = "" } = useParams();
  return <ProductDetail key={id} id={id} />;
}

function ProductDetail({ id }: { id: string }) {
  const { t } = useTranslation("catalogue");
  const user = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const created = (useLocation().state as { created?: boolean } | null)?.created === true;
  const product = useQuery({
    queryKey: catalogueKeys.product(id),
    queryFn: ({ signal }) => getProduct(id, signal),
  });
  const remove = useMutation({
    mutationFn: () => deleteProduct(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: catalogueKeys.product(id) });
      queryClient.removeQueries({ queryKey: stockKeys.level(id) });
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.products() });
      navigate("/produtos", { replace: true, state: { deleted: product.data?.name ?? "" } });
    },
  });

  if (product.isPending) {
    return (
      <section className="card wide cat-page" aria-busy="true">
        <BackLink to="/produtos" label={t("products.back")} />
        <Skeleton rows={6} label={t("product.loading")} />
      </section>
    );
  }
  if (product.isError) {
    const gone = product.error instanceof ApiError && product.error.status === 404;
    return (
      <section className="card wide cat-page" data-testid="product-missing">
        <BackLink to="/produtos" label={t("products.back")} />
        {gone ? <p className="cat-empty">{t("product.notFound")}</p> : <QueryError error={product.error} testId="product-error" />}
      </section>
    );
  }

  const data = product.data;
  const conflict = remove.error instanceof ApiError && remove.error.status === 409;
  return (
    <>
      <section className="card wide cat-page" aria-labelledby="product-title" data-testid="product-page">
        <BackLink to="/produtos" label={t("products.back")} />
        <div className="card-header">
          <h1 id="product-title">
            {data.name}
            {!data.active && <span className="cat-badge muted-badge cat-title-badge">{t("product.inactive")}</span>}
          </h1>
          {user.role === "admin" && (
            <ConfirmAction
              label={t("product.delete")}
              question={t("product.deleteQuestion", { name: data.name })}
              confirmLabel={t("product.deleteConfirm")}
              onConfirm={() => remove.mutate()}
              pending={remove.isPending}
              testId="product-delete"
            />
          )}
        </div>
        {remove.error instanceof ApiError && (
          <div className="cat-form-error">
            <ErrorAlert error={remove.error} testId="product-delete-error" />
            {conflict && <p className="small">{t("product.deleteConflict")}</p>}
          </div>
        )}
        <p className="muted small">
          {t("product.timestamps", { created: formatDateTime(data.created_at), updated: formatDateTime(data.updated_at) })}
        </p>
        {created && !savedAt && (
          <p className="cat-notice" role="status" data-testid="product-created">
            {t("product.created")}
          </p>
        )}
        {savedAt && (
          <p className="cat-notice" role="status" data-testid="product-saved">
            {t("product.saved", { time: savedAt })}
          </p>
        )}
        {/* Keyed by the saved version: after a save the fields show what the service kept. */}
        <ProductForm
          key={data.updated_at}
          product={data}
          onSaved={(saved) => setSavedAt(formatDateTime(saved.updated_at))}
        />
      </section>
      <ProductImages product={data} />
      <StockPanel productId={data.id} productName={data.name} unit={data.unit} />
    </>
  );
}

export function BackLink({ to, label }: { to: string; label: string }) {
  return (
    <p className="cat-back">
      <Link to={to}>← {label}</Link>
    </p>
  );
}
