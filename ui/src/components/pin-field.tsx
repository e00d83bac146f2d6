// A PIN input: digits only, masked, with a visible label.

import type { Ref } from "preact";

export function PinField(props: { id: string; label: string; value: string; onInput: (v: string) => void; inputRef?: Ref<HTMLInputElement> }) {
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        ref={props.inputRef}
        type="password"
        inputMode="numeric"
        autocomplete="off"
        maxLength={8}
        class="pin"
        value={props.value}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value.replace(/\D/g, ""))}
      />
    </>
  );
}
