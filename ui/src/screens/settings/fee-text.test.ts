import { describe, expect, it } from "vitest";
import { bpToPercent, percentToBp, wholeNumber } from "./fee-text";

describe("fee text", () => {
  it("reads percentages as basis points without floats", () => {
    expect(percentToBp("2.9")).toBe(290);
    expect(percentToBp("2.75 %")).toBe(275);
    expect(percentToBp("3")).toBe(300);
    expect(percentToBp("0.07")).toBe(7);
    for (const bad of ["", "2.999", "-1", "abc", "2,9"]) expect(percentToBp(bad)).toBeNull();
  });
  it("writes basis points back without trailing zeros", () => {
    expect([290, 300, 275, 7].map(bpToPercent)).toEqual(["2.9", "3", "2.75", "0.07"]);
  });
  it("reads whole minor units", () => {
    expect(wholeNumber(" 30 ")).toBe(30);
    expect(wholeNumber("1.5")).toBeNull();
    expect(wholeNumber("-3")).toBeNull();
  });
});
