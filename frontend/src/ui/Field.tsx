import type { ReactNode } from "react";

/** What the field's control needs to be tied to its label, hint and error. */
export interface ControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

export interface FieldProps {
  id: string;
  label: ReactNode;
  /** The field's problem, shown under it and announced with it. */
  error?: string | null;
  hint?: string;
  /** More classes of the wrapper (after "field"). */
  className?: string;
  /** The area's class of the hint (after "muted small"). */
  hintClassName?: string;
  /** The error line's data-testid, when the area's tests look for it. */
  errorTestId?: string;
  children: (control: ControlProps) => ReactNode;
}

/** A label, its control, a hint and the field's error, tied together for screen readers. */
export function Field({ id, label, error, hint, className, hintClassName, errorTestId, children }: FieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : "", error ? errorId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && (
        <p id={hintId} className={hintClassName ? `muted small ${hintClassName}` : "muted small"}>
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" data-testid={errorTestId}>
          {error}
        </p>
      )}
    </div>
  );
}
