import { useQuery } from "@tanstack/react-query";
import { useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";

import { asApiError } from "./errors";
import { orderKeys } from "./api";
import { useDebouncedValue } from "../ui/useDebouncedValue";

export interface PickerOption {
  id: string;
  label: string;
  /** A second line: a document, a price and the free stock… */
  detail?: string;
}

interface SearchPickerProps {
  /** The input's id (its label points at it). */
  id: string;
  label: string;
  /** Names the search in the query cache ("clients", "products-active"…). */
  searchKey: string;
  search: (text: string, signal: AbortSignal) => Promise<PickerOption[]>;
  value: PickerOption | null;
  onChange: (option: PickerOption | null) => void;
  placeholder?: string;
  /** The API's message about this field, shown beside it. */
  error?: string | null;
  testId?: string;
}

/**
 * Search and choose one record (a client, a product, a supplier): type part of the name, pick
 * from the results (Tab or ↓/↑ to move, Enter to choose, Esc to close). Once chosen it shows
 * the name and a button to choose again.
 */
export function SearchPicker({
  id,
  label,
  searchKey,
  search,
  value,
  onChange,
  placeholder,
  error,
  testId,
}: SearchPickerProps) {
  const { t } = useTranslation("orders");
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [refocus, setRefocus] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const settled = useDebouncedValue(text.trim());
  const results = useQuery({
    queryKey: orderKeys.search(searchKey, settled),
    queryFn: ({ signal }) => search(settled, signal),
    enabled: open && value === null,
    staleTime: 30_000,
  });
  const errorId = `${id}-error`;
  const listId = `${id}-results`;

  if (value) {
    return (
      <div className="field orders-picker" data-testid={testId}>
        <span className="orders-label" id={`${id}-label`}>
          {label}
        </span>
        <div className="orders-picked" role="group" aria-labelledby={`${id}-label`}>
          <span className="orders-picked-name" data-testid={testId && `${testId}-value`}>
            {value.label}
            {value.detail && <span className="muted small"> · {value.detail}</span>}
          </span>
          <button
            type="button"
            className="button small"
            onClick={() => {
              onChange(null);
              setRefocus(true);
              setOpen(true);
            }}
            aria-label={t("picker.changeLabel", { field: label })}
          >
            {t("picker.change")}
          </button>
        </div>
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    );
  }

  function focusOption(index: number) {
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>("button");
    if (!buttons || buttons.length === 0) {
      return;
    }
    if (index < 0) {
      inputRef.current?.focus();
      return;
    }
    buttons[Math.min(index, buttons.length - 1)].focus();
  }

  function onInputKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
      focusOption(0);
    } else if (event.key === "Escape") {
      setOpen(false);
    } else if (event.key === "Enter") {
      event.preventDefault(); // choosing is explicit: Enter does not send the form around it
      setOpen(true);
    }
  }

  function onOptionKey(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      focusOption(index + 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      focusOption(index - 1);
    } else if (event.key === "Escape") {
      setOpen(false);
      inputRef.current?.focus();
    }
  }

  const options = results.data ?? [];
  const failure = asApiError(results.error);
  return (
    <div
      className="field orders-picker"
      data-testid={testId}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
          setOpen(false);
        }
      }}
    >
      <label htmlFor={id}>{label}</label>
      <input
        ref={inputRef}
        id={id}
        type="search"
        autoComplete="off"
        // The field comes back after "change": the cursor goes straight to it.
        autoFocus={refocus}
        value={text}
        placeholder={placeholder ?? t("picker.placeholder")}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onInputKey}
        // A text box that opens a list of choices: a combobox (aria-expanded is only
        // allowed there).
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid={testId && `${testId}-input`}
      />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
      <div className="orders-picker-results" id={listId} hidden={!open} aria-busy={results.isFetching}>
        {results.isPending && results.fetchStatus === "fetching" && (
          <p className="muted small" role="status">
            {t("picker.searching")}
          </p>
        )}
        {failure && (
          <p className="field-error" role="alert">
            {failure.message}
          </p>
        )}
        {results.isSuccess && options.length === 0 && (
          <p className="muted small" role="status">
            {settled ? t("picker.nothingFor", { text: settled }) : t("picker.nothing")}
          </p>
        )}
        {options.length > 0 && (
          <>
            <p className="visually-hidden" role="status">
              {t("picker.results", { count: options.length })}
            </p>
            <ul ref={listRef} aria-label={t("picker.resultsLabel", { field: label })}>
              {options.map((option, index) => (
                <li key={option.id}>
                  <button
                    type="button"
                    onKeyDown={(event) => onOptionKey(event, index)}
                    onClick={() => {
                      onChange(option);
                      setText("");
                      setOpen(false);
                    }}
                    data-testid={testId && `${testId}-option`}
                  >
                    <span>{option.label}</span>
                    {option.detail && <span className="muted small">{option.detail}</span>}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
