/** WhatsApp notifications (GET /notifications, POST /notifications/{id}/retry). */

import { authorizedPage, authorizedRequest } from "../auth/authorized";

export interface Notification {
  id: string;
  order_id: string | null;
  recipient_kind: "client" | "supplier" | "staff";
  recipient: string | null;
  template: string;
  message: string;
  status: "queued" | "sent" | "delivered" | "read" | "failed" | "skipped";
  reason: string | null;
  attempts: number;
  created_at: string;
}

export const STATUS_LABELS: Record<Notification["status"], string> = {
  queued: "Na fila",
  sent: "Enviada",
  delivered: "Entregue",
  read: "Lida",
  failed: "Falhou",
  skipped: "Não enviada",
};

export function listNotifications(status: string, page: number) {
  const query = new URLSearchParams({ page: String(page), page_size: "20" });
  if (status) {
    query.set("status", status);
  }
  return authorizedPage<Notification>(`/notifications?${query}`);
}

export function retryNotification(id: string): Promise<Notification> {
  return authorizedRequest<Notification>(`/notifications/${id}/retry`, { method: "POST" });
}
