import { describe, expect, it } from "vitest";
import { majorText, refundStatusClass, stateClass } from "./words";
import { readAs } from "./list";

describe("payments words", () => {
  it("writes an amount as it is typed, with the currency's own decimals", () => {
    expect(majorText({ amount: 1250, exponent: 2 })).toBe("12.50");
    expect(majorText({ amount: 5, exponent: 2 })).toBe("0.05");
    expect(majorText({ amount: 500, exponent: 0 })).toBe("500");
    expect(majorText({ amount: 1234, exponent: 3 })).toBe("1.234");
  });

  it("says how the search was read", () => {
    expect(readAs(["order_number"])).toBe("an order number");
    expect(readAs(["order_number", "customer_email"])).toBe("an order number or a customer email");
    expect(readAs(["amount", "card_last4", "order_number"])).toBe("an amount, a card's last 4 digits or an order number");
    expect(readAs([])).toBe("");
  });

  it("never shows an unknown outcome as failed", () => {
    expect(refundStatusClass("unknown")).not.toBe(refundStatusClass("failed"));
    expect(refundStatusClass("succeeded")).toBe("pay-ok");
    expect(stateClass("declined")).toBe("pay-failed");
    expect(stateClass("partly_refunded")).toBe("pay-refunded");
  });
});
