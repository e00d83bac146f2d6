import { describe, expect, it } from "vitest";
import { joinPage } from "./show-more";

describe("joinPage", () => {
  it("replaces the rows with a first page", () => {
    expect(joinPage([1, 2, 3], { total: 2, offset: 0, rows: [7, 8] })).toEqual([7, 8]);
  });

  it("appends a later page where it starts", () => {
    expect(joinPage([1, 2], { total: 4, offset: 2, rows: [3, 4] })).toEqual([1, 2, 3, 4]);
  });

  it("does not add a page already held twice", () => {
    const once = joinPage([1, 2], { total: 4, offset: 2, rows: [3, 4] });
    expect(joinPage(once, { total: 4, offset: 2, rows: [3, 4] })).toEqual([1, 2, 3, 4]);
  });
});
