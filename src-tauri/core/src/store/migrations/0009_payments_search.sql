-- Version 9: staff find a payment from one search box (Payments & Refunds) by order number, amount,
-- card last4, customer email or gateway ID, at once, over a year of a group's payments. Each kind
-- of search walks an index of its own, newest first within a match, and stops after what it shows.

-- The customer's email, lower-cased: Stripe's `billing_details.email`, else `receipt_email`.
-- CardPointe sends none. Written beside the neutral row by the Stripe sync (never by `upsert`, so
-- a gateway without emails never blanks one).
ALTER TABLE transactions ADD COLUMN customer_email TEXT;

-- Caches synced before this version get their emails from the Stripe objects already cached.
UPDATE transactions SET customer_email = (
    SELECT nullif(lower(trim(coalesce(nullif(trim(json_extract(o.raw, '$.billing_details.email')), ''),
                                      json_extract(o.raw, '$.receipt_email')))), '')
    FROM objects o
    WHERE o.id = transactions.reference AND o.kind IN ('charge', 'payment_intent'))
WHERE gateway = 'stripe';

CREATE INDEX transactions_by_email ON transactions (customer_email, created) WHERE customer_email IS NOT NULL;
CREATE INDEX transactions_by_amount ON transactions (amount, created);
CREATE INDEX transactions_by_last4 ON transactions (card_last4, created) WHERE card_last4 IS NOT NULL;
-- Order numbers as typed, whatever their case: `hv-01-1001` finds `HV-01-1001`, and a start finds
-- the numbers it begins.
CREATE INDEX transactions_by_order_nocase ON transactions (order_ref COLLATE NOCASE, created) WHERE order_ref IS NOT NULL;
