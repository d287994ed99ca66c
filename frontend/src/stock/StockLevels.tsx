import { useCallback, useId, useState, type FormEvent } from "react";

import { ApiError } from "../api/client";
import { useSearch } from "../api/useRemote";
import {
  LOW_STOCK_PERCENT,
  REASONS,
  adjustStock,
  adjustmentProblem,
  listStock,
  type AdjustmentReason,
  type StockLevel,
} from "./stock";

/**
 * Stock levels for staff and admin: what is on the shelf, reserved for orders and free, how
 * far below the ideal quantity, and a manual adjustment (receipt, loss, count, return) that
 * goes into the ledger with its reason and note.
 */
interface StockLevelsProps {
  reloadKey: number;
  /** After an adjustment: other screens showing free stock reload. */
  onAdjusted: () => void;
}

export function StockLevels({ reloadKey, onAdjusted }: StockLevelsProps) {
  const id = useId();
  const [section, setSection] = useState("");
  const [lowOnly, setLowOnly] = useState(false);
  const [editing, setEditing] = useState<StockLevel | null>(null);
  const load = useCallback(
    (query: string, signal: AbortSignal) => listStock({ section: query, lowOnly }, signal),
    [lowOnly],
  );
  const { results, loading, error } = useSearch(section, load, reloadKey);

  return (
    <section className="card wide" aria-labelledby={`${id}-title`} data-testid="stock-levels">
      <h2 id={`${id}-title`}>Estoque</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor={`${id}-section`}>Seção</label>
          <input
            id={`${id}-section`}
            type="search"
            value={section}
            onChange={(event) => setSection(event.target.value)}
            placeholder="Todas"
          />
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={lowOnly}
            onChange={(event) => setLowOnly(event.target.checked)}
          />
          Só abaixo de {LOW_STOCK_PERCENT}% do ideal
        </label>
      </div>
      {error && <p className="field-error">{error}</p>}
      <table className="table" aria-label="Níveis de estoque" aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">Produto</th>
            <th scope="col">Na prateleira</th>
            <th scope="col">Reservado</th>
            <th scope="col">Disponível</th>
            <th scope="col">% do ideal</th>
            <th scope="col">Ações</th>
          </tr>
        </thead>
        <tbody>
          {results.map((level) => (
            <tr
              key={level.product_id}
              data-testid="stock-row"
              data-product={level.product_id}
              data-available={level.available}
              className={level.low_stock ? "low" : undefined}
            >
              <td>{level.product_name}</td>
              <td>{level.on_hand}</td>
              <td>{level.reserved}</td>
              <td>{level.available}</td>
              <td>{level.percent_of_ideal === null ? "—" : `${level.percent_of_ideal}%`}</td>
              <td>
                <button type="button" className="button small" onClick={() => setEditing(level)}>
                  Ajustar
                </button>
              </td>
            </tr>
          ))}
          {!loading && results.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Nenhum produto nesta seleção.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {editing && (
        <AdjustmentForm
          level={editing}
          onDone={() => {
            setEditing(null);
            onAdjusted(); // reloads this list too (reloadKey)
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

interface AdjustmentFormProps {
  level: StockLevel;
  onDone: () => void;
  onCancel: () => void;
}

function AdjustmentForm({ level, onDone, onCancel }: AdjustmentFormProps) {
  const id = useId();
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState<AdjustmentReason>("receipt");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const amount = Number(delta);
    const local = adjustmentProblem(amount, reason);
    if (local) {
      setProblem(local);
      return;
    }
    setSending(true);
    setProblem(null);
    try {
      await adjustStock(level.product_id, { delta: amount, reason, note });
      onDone();
    } catch (caught) {
      // e.g. 409: taking out more than is free (reserved units belong to orders).
      setProblem(caught instanceof ApiError ? caught.message : "Não foi possível ajustar.");
      setSending(false);
    }
  }

  return (
    <form className="form panel" onSubmit={handleSubmit} noValidate data-testid="adjustment">
      <h3>Ajustar {level.product_name}</h3>
      <p className="muted small">
        Disponível agora: {level.available} {level.unit} ({level.reserved} reservado(s) para
        pedidos). Use números negativos para saídas.
      </p>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Motivo</label>
        <select
          id={`${id}-reason`}
          value={reason}
          onChange={(event) => setReason(event.target.value as AdjustmentReason)}
        >
          {REASONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-delta`}>Quantidade</label>
        <input
          id={`${id}-delta`}
          type="number"
          step={1}
          value={delta}
          onChange={(event) => setDelta(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Nota</label>
        <input
          id={`${id}-note`}
          value={note}
          maxLength={500}
          onChange={(event) => setNote(event.target.value)}
          placeholder="Ex.: NF 1234"
        />
      </div>
      {problem && (
        <p className="alert" role="alert" data-testid="adjustment-error">
          {problem}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={sending}>
          Registrar ajuste
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancelar
        </button>
      </div>
    </form>
  );
}
