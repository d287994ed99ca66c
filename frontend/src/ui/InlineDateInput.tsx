import type { ReactNode } from "react";

export interface InlineDateInputProps {
  label: ReactNode;
  /** The day as the API takes it (YYYY-MM-DD), or "" for none. */
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  testId?: string;
}

/** A day picker with its label on one line, as the filter and period bars place them. */
export function InlineDateInput({ label, value, onChange, required, testId }: InlineDateInputProps) {
  return (
    <label className="inline">
      {label}
      <input
        type="date"
        required={required}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
      />
    </label>
  );
}
