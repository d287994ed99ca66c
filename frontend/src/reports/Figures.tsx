export interface Figure {
  label: string;
  value: string;
  /** A line under the number: what it counts, or why it is missing. */
  note?: string;
}

/** A report's headline numbers, one small card each. */
export function Figures({ figures, testId }: { figures: Figure[]; testId: string }) {
  return (
    <dl className="figures" data-testid={testId}>
      {figures.map((figure) => (
        <div key={figure.label} className="figure">
          <dt>{figure.label}</dt>
          <dd>{figure.value}</dd>
          {figure.note && <dd className="muted small">{figure.note}</dd>}
        </div>
      ))}
    </dl>
  );
}
