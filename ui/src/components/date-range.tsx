// A list's "from … to" date filter: two date fields that cannot cross, marked invalid if they do.

export function DateRange(props: {
  /** Visible words before each field, and their accessible names (the words when not given). */
  fromText: string;
  toText: string;
  fromLabel?: string;
  toLabel?: string;
  from: string;
  to: string;
  onFrom: (value: string) => void;
  onTo: (value: string) => void;
}) {
  const backwards = props.from !== "" && props.to !== "" && props.from > props.to;
  const value = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  return (
    <>
      <label class="inline">
        <span>{props.fromText}</span>
        <input
          type="date"
          aria-label={props.fromLabel ?? props.fromText}
          value={props.from}
          max={props.to || undefined}
          aria-invalid={backwards ? "true" : undefined}
          onChange={value(props.onFrom)}
        />
      </label>
      <label class="inline">
        <span>{props.toText}</span>
        <input
          type="date"
          aria-label={props.toLabel ?? props.toText}
          value={props.to}
          min={props.from || undefined}
          aria-invalid={backwards ? "true" : undefined}
          onChange={value(props.onTo)}
        />
      </label>
    </>
  );
}
