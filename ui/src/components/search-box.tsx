// A list's search field. Every list has one (DESIGN: "`/` focuses search"): pressing `/` outside a
// field focuses the search box of the list on screen.

import { useEffect, useRef } from "preact/hooks";

export function SearchBox(props: { label: string; placeholder: string; value: string; onInput: (value: string) => void }) {
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target?.closest?.("input, select, textarea, [contenteditable]") != null;
      // A list hidden behind a detail view (no layout box) leaves `/` to the one on screen.
      if (e.key === "/" && !typing && input.current?.offsetParent) {
        e.preventDefault();
        input.current.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <input
      ref={input}
      type="search"
      class="search"
      aria-label={props.label}
      placeholder={`${props.placeholder}  ( / )`}
      value={props.value}
      onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
    />
  );
}
