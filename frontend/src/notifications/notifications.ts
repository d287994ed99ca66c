/** WhatsApp notifications (GET /notifications, POST /notifications/{id}/retry). */

import { authorizedPage, authorizedRequest } from "../auth/authorized";
import i18next from "../i18n";

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

/** Every status a notification can be in, in the order the filter lists them. */
export const NOTIFICATION_STATUSES: readonly Notification["status"][] = [
  "queued",
  "sent",
  "delivered",
  "read",
  "failed",
  "skipped",
];

/** The status's name in the current language (notifications:statuses.*); an unknown one as it came. */
export function statusLabel(status: string): string {
  return (NOTIFICATION_STATUSES as readonly string[]).includes(status)
    ? i18next.t(`notifications:statuses.${status}`)
    : status;
}

/** What the list is narrowed to: a status and a period of Brasília days (YYYY-MM-DD), each optional. */
export interface NotificationFilters {
  status: string;
  dateFrom: string;
  dateTo: string;
}

export function listNotifications(filters: NotificationFilters, page: number) {
  const query = new URLSearchParams({ page: String(page), page_size: "20" });
  if (filters.status) {
    query.set("status", filters.status);
  }
  if (filters.dateFrom) {
    query.set("date_from", filters.dateFrom);
  }
  if (filters.dateTo) {
    query.set("date_to", filters.dateTo);
  }
  return authorizedPage<Notification>(`/notifications?${query}`);
}

export function retryNotification(id: string): Promise<Notification> {
  return authorizedRequest<Notification>(`/notifications/${id}/retry`, { method: "POST" });
}
