import { useCallback, useEffect, useRef, useState } from "react";

import { fetchHealth, type HealthReport } from "./health";

const REFRESH_EVERY_MS = 30_000;

const STATE_TEXT = { ready: "pronto", unavailable: "indisponível" } as const;

function formatTime(date: Date): string {
  return date.toLocaleTimeString("pt-BR", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function ServiceStatus() {
  const [report, setReport] = useState<HealthReport | null>(null);
  const [loading, setLoading] = useState(true);
  const inFlight = useRef<AbortController | null>(null);

  const check = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setLoading(true);
    try {
      const next = await fetchHealth(undefined, controller.signal);
      if (!controller.signal.aborted) {
        setReport(next);
      }
    } catch {
      // aborted: a newer check (or unmount) replaced this one
    } finally {
      if (!controller.signal.aborted) {
        setLoading(false);
      }
    }
  }, []);

  useEffect(() => {
    void check();
    const timer = window.setInterval(() => void check(), REFRESH_EVERY_MS);
    return () => {
      window.clearInterval(timer);
      inFlight.current?.abort();
    };
  }, [check]);

  return (
    <section className="card" aria-labelledby="status-title" data-testid="service-status">
      <div className="card-header">
        <h2 id="status-title">Status dos serviços</h2>
        <button
          type="button"
          className="button small"
          onClick={() => void check()}
          disabled={loading}
          data-testid="status-refresh"
        >
          Atualizar
        </button>
      </div>
      {report?.error && (
        <p className="alert" role="status" data-testid="status-error">
          {report.error}
        </p>
      )}
      {report === null ? (
        <p className="muted" role="status">
          Verificando os serviços…
        </p>
      ) : (
        <>
          <ul className="services" aria-label="Serviços" data-testid="service-list">
            {report.services.map((service) => (
              <li
                key={service.name}
                className="service"
                data-testid={`service-${service.name}`}
                data-state={service.state}
              >
                <span className="service-name">{service.label}</span>
                <span className={`badge ${service.state}`}>{STATE_TEXT[service.state]}</span>
              </li>
            ))}
          </ul>
          {report.warnings.map((warning) => (
            <p key={warning} className="alert small" role="status" data-testid="status-warning">
              {warning}
            </p>
          ))}
          <p className="muted small" aria-live="polite">
            Verificado às {formatTime(report.checkedAt)}
          </p>
        </>
      )}
    </section>
  );
}
