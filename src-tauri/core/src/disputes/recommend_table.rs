//! The reason × order-type matrix behind [`super::recommended`]: data only, one row per Stripe
//! dispute reason, each cell the fields to fill first (Stripe names, checked by the tests against the
//! evidence catalogue) with a line for the manager. Kept apart so `recommend.rs` stays readable.

use super::OrderType;

/// (Stripe field name, hint).
pub(super) type Hint = (&'static str, &'static str);

pub(super) struct Row {
    pub(super) reason: &'static str,
    pub(super) title: &'static str,
    pub(super) meaning: &'static str,
    pub(super) dine_in: &'static [Hint],
    pub(super) takeaway: &'static [Hint],
    pub(super) delivery: &'static [Hint],
    pub(super) catering: &'static [Hint],
}

impl Row {
    pub(super) fn cell(&self, order: OrderType) -> &'static [Hint] {
        match order {
            OrderType::DineIn => self.dine_in,
            OrderType::Takeaway => self.takeaway,
            OrderType::Delivery => self.delivery,
            OrderType::Catering => self.catering,
        }
    }
}

// Failures of a bank payment (direct debit, cheque): evidence rarely changes the bank's answer; what
// helps is showing the money is owed and that the customer was asked to pay another way.
const BANK_FAILURE: &[Hint] = &[
    ("receipt", "The receipt or invoice showing what the customer owes for this order."),
    ("customer_communication", "Your request to the customer to pay another way, and their answer."),
    ("service_date", "When the food was served or the event took place."),
    ("product_description", "What was ordered, so the bank sees the debt is real."),
];

const SUBSCRIPTION: &[Hint] = &[
    ("cancellation_policy", "Your terms for stopping a meal plan, membership or standing order."),
    ("cancellation_policy_disclosure", "Where the customer accepted those terms when signing up."),
    ("cancellation_rebuttal", "Why this charge stands: no cancellation received, or it came after the cut-off."),
    ("customer_communication", "Messages about the plan, and any sign the customer still used it."),
    ("service_date", "When the meals or service this charge paid for were provided."),
];

const DEBIT_NOT_AUTHORIZED: &[Hint] = &[
    ("customer_signature", "The direct-debit mandate or payment authority the customer signed."),
    ("receipt", "The invoice or receipt this debit paid, sent to the customer."),
    ("customer_communication", "Messages where the customer agreed to pay by bank debit."),
    ("uncategorized_text", "Earlier debits from the same account that were never disputed: dates and amounts."),
];

pub(super) static TABLE: [Row; 14] = [
    Row {
        reason: "fraudulent",
        title: "Fraud claim",
        meaning: "The cardholder says they did not make or allow this payment.",
        dine_in: &[
            ("receipt", "The chip, tap or signed card slip: it shows the card itself was at the table."),
            ("customer_signature", "The signed slip, if the guest signed for the bill."),
            (
                "uncategorized_text",
                "Earlier visits paid with the same card that were never disputed: dates and amounts.",
            ),
            ("service_date", "The date and time of the meal, matching the card slip."),
        ],
        takeaway: &[
            ("receipt", "The card slip showing the card was tapped, inserted or signed at the counter."),
            (
                "uncategorized_text",
                "Earlier pickups paid with the same card that were never disputed: dates and amounts.",
            ),
            ("customer_name", "The name the order was placed and collected under."),
            ("customer_communication", "The order call or 'ready for pickup' text to the cardholder's own number."),
            ("service_date", "When the order was collected."),
        ],
        delivery: &[
            ("shipping_address", "The delivery address: the cardholder's own or one used before weighs most."),
            ("shipping_documentation", "The driver's proof of delivery, with the time and the drop-off photo."),
            ("uncategorized_text", "Earlier orders to the same address or account that were never disputed."),
            ("access_activity_log", "The customer account's log-ins and order history in your app or website."),
            ("customer_purchase_ip", "The IP address the order came from, if your ordering system kept it."),
            ("billing_address", "The card's billing address, especially if it matches the delivery address."),
        ],
        catering: &[
            ("customer_signature", "The signed catering contract or event booking form."),
            ("service_documentation", "The event confirmation and the set-up or delivery sign-off."),
            ("customer_communication", "Emails with the customer planning the menu, guest count and date."),
            ("receipt", "The invoice and deposit receipts, above all earlier payments with the same card."),
            ("uncategorized_text", "Earlier events or deposits paid with the same card that were never disputed."),
        ],
    },
    Row {
        reason: "unrecognized",
        title: "Payment not recognised",
        meaning: "The cardholder does not recognise this payment on their statement.",
        dine_in: &[
            ("receipt", "The receipt with your restaurant's name, the date, time and what was ordered."),
            ("uncategorized_text", "How your name appears on card statements, and earlier visits with the same card."),
            ("service_date", "The date and time of the meal."),
            ("product_description", "What was ordered, to jog the cardholder's memory."),
        ],
        takeaway: &[
            ("receipt", "The card slip or order confirmation with your name, the date and the items."),
            ("uncategorized_text", "How your name appears on card statements, and earlier orders with the same card."),
            ("customer_name", "The name the order was collected under."),
            ("product_description", "What was ordered."),
        ],
        delivery: &[
            ("receipt", "The order confirmation sent to the customer, with your name and the items."),
            ("shipping_address", "Where the order was delivered: usually the cardholder's own address."),
            ("shipping_documentation", "The driver's proof of delivery with the time."),
            ("customer_email_address", "The email the order confirmation went to."),
            ("uncategorized_text", "How your name appears on card statements, or the delivery app that charged."),
        ],
        catering: &[
            ("service_documentation", "The signed order or event confirmation with the customer's name."),
            ("customer_communication", "Emails arranging the event with the customer."),
            ("receipt", "The invoice sent to the customer for this payment."),
            ("customer_name", "The person or company that booked."),
        ],
    },
    Row {
        reason: "product_not_received",
        title: "Order not received",
        meaning: "The customer says they paid but never got the food, the delivery or the event.",
        dine_in: &[
            ("receipt", "The itemised bill with table number and the time it was closed."),
            ("service_date", "The date and time the customer dined."),
            ("product_description", "What was served, from the kitchen tickets."),
            ("uncategorized_text", "Anything else showing they ate: the reservation, the server's notes, a tip added."),
        ],
        takeaway: &[
            ("service_documentation", "The pickup record: the order screen marking it collected, or a signature."),
            ("receipt", "The receipt or order confirmation with the pickup time."),
            ("service_date", "When the order was collected."),
            ("customer_communication", "The 'ready for pickup' text or call, and any reply."),
        ],
        delivery: &[
            (
                "shipping_documentation",
                "Proof of delivery: the driver app's log with time and address, and the drop-off photo.",
            ),
            ("shipping_address", "Where the order was delivered, matching what the customer entered."),
            ("shipping_date", "When the order left with the driver, and when it was handed over."),
            (
                "customer_communication",
                "Messages with the customer, such as the driver's arrival text and their reply.",
            ),
            ("shipping_carrier", "Your own driver or the delivery service that carried the order."),
        ],
        catering: &[
            ("service_documentation", "The signed delivery or set-up note from the event."),
            ("service_date", "The date and time of the event or drop-off."),
            ("customer_communication", "Emails or texts confirming the event, the venue and your arrival."),
            ("shipping_address", "The venue address the food went to."),
        ],
    },
    Row {
        reason: "product_unacceptable",
        title: "Not as ordered",
        meaning: "The customer says what they got was wrong, spoiled or not as described.",
        dine_in: &[
            ("product_description", "What was served, as the menu describes it."),
            ("customer_communication", "What the guest said, at the table or later, and what you offered."),
            ("receipt", "The bill showing the meal was finished and nothing was sent back or taken off."),
            ("refund_refusal_explanation", "Why no refund is due, e.g. no complaint until after the meal was eaten."),
            ("refund_policy", "Your refund policy, if it is on the menu or the receipt."),
        ],
        takeaway: &[
            ("product_description", "What was ordered and how the menu describes it."),
            ("receipt", "The receipt listing exactly what was ordered."),
            ("customer_communication", "The complaint and what you offered, such as a remake or credit."),
            ("refund_refusal_explanation", "Why no refund is due, e.g. no complaint at pickup or a remake refused."),
            ("refund_policy", "Your refund policy as shown at the counter or online."),
        ],
        delivery: &[
            ("product_description", "What was ordered and how the menu describes it."),
            ("customer_communication", "The complaint and what you offered, such as a redelivery or credit."),
            ("shipping_documentation", "The drop-off photo or log showing the sealed, correct order arrived."),
            ("refund_refusal_explanation", "Why no refund is due, e.g. the complaint came long after delivery."),
            ("refund_policy", "Your refund policy as shown on the ordering site or app."),
        ],
        catering: &[
            ("service_documentation", "The signed order or event confirmation: the agreed menu, guests and date."),
            ("customer_communication", "Emails agreeing the menu, and any feedback during or after the event."),
            ("refund_policy", "Your catering refund terms, as sent with the quote."),
            ("refund_policy_disclosure", "Where and when the customer accepted those terms."),
            ("product_description", "The agreed menu and quantities, and what was served."),
        ],
    },
    Row {
        reason: "credit_not_processed",
        title: "Refund not received",
        meaning: "The customer says they were promised a refund or cancelled, and the refund never came.",
        dine_in: &[
            (
                "refund_refusal_explanation",
                "Why no refund is due, or the date and amount of the refund you already gave.",
            ),
            ("refund_policy", "Your refund policy, as on the menu, the receipt or a sign."),
            ("refund_policy_disclosure", "Where the guest could see that policy before paying."),
            ("customer_communication", "What was said about a refund, and whether anyone promised one."),
            ("receipt", "The bill, showing any discount or item already taken off."),
        ],
        takeaway: &[
            (
                "refund_refusal_explanation",
                "Why no refund is due, or the date and amount of the refund you already gave.",
            ),
            ("refund_policy", "Your refund policy as shown at the counter or on the ordering site."),
            ("refund_policy_disclosure", "Where the customer saw that policy before paying."),
            ("customer_communication", "Messages about the refund the customer asked for."),
            ("receipt", "The receipt for the order."),
        ],
        delivery: &[
            (
                "refund_refusal_explanation",
                "Why no refund is due, or the date and amount of the refund you already gave.",
            ),
            ("refund_policy", "Your refund policy as shown in the ordering app or site."),
            ("refund_policy_disclosure", "Where the customer saw that policy before ordering, e.g. at checkout."),
            ("customer_communication", "Messages about the refund the customer asked for."),
            ("shipping_documentation", "Proof the order was delivered, if the refund was asked for a missing order."),
        ],
        catering: &[
            ("cancellation_policy", "Your catering cancellation terms: deposits and notice period."),
            ("cancellation_policy_disclosure", "Where the customer accepted those terms, e.g. the signed booking."),
            ("refund_refusal_explanation", "Why no refund is due under those terms, or the refund you already gave."),
            ("customer_communication", "Emails about the cancellation or change, with their dates."),
            ("service_documentation", "The signed order showing what was agreed and what was provided."),
        ],
    },
    Row {
        reason: "duplicate",
        title: "Charged twice",
        meaning: "The customer says they paid more than once for the same order.",
        dine_in: &[
            ("duplicate_charge_id", "The Stripe ID of the other payment the customer points to."),
            ("duplicate_charge_explanation", "How the two differ: a split bill, a second round, another table or day."),
            ("receipt", "The bill for this payment."),
            ("duplicate_charge_documentation", "The bill for the other payment, so both can be compared."),
        ],
        takeaway: &[
            ("duplicate_charge_id", "The Stripe ID of the other payment the customer points to."),
            ("duplicate_charge_explanation", "How the two differ: two separate orders or pickups, different items."),
            ("receipt", "The receipt for this payment."),
            ("duplicate_charge_documentation", "The receipt for the other payment, so both can be compared."),
        ],
        delivery: &[
            ("duplicate_charge_id", "The Stripe ID of the other payment the customer points to."),
            (
                "duplicate_charge_explanation",
                "How the two differ: two orders, two deliveries, different items or times.",
            ),
            ("receipt", "The order confirmation for this payment."),
            (
                "duplicate_charge_documentation",
                "The order confirmation for the other payment, so both can be compared.",
            ),
            ("shipping_documentation", "Proof of both deliveries, if there were two."),
        ],
        catering: &[
            ("duplicate_charge_id", "The Stripe ID of the other payment the customer points to."),
            (
                "duplicate_charge_explanation",
                "How the two differ, e.g. the deposit and the final balance of one event.",
            ),
            ("receipt", "The invoice this payment settled."),
            ("duplicate_charge_documentation", "The invoice the other payment settled, so both can be compared."),
            ("service_documentation", "The signed order showing the total, the deposit and the balance."),
        ],
    },
    Row {
        reason: "subscription_canceled",
        title: "Cancelled repeat payment",
        meaning: "The customer says they cancelled a repeat payment, such as a meal plan, and were still charged.",
        dine_in: SUBSCRIPTION,
        takeaway: SUBSCRIPTION,
        delivery: SUBSCRIPTION,
        catering: SUBSCRIPTION,
    },
    Row {
        reason: "general",
        title: "Other complaint",
        meaning: "The bank gave no specific reason: the customer disputes the payment for some other reason.",
        dine_in: &[
            ("receipt", "The itemised bill for this payment."),
            ("customer_communication", "Any contact with the guest about this visit; ask them why they disputed."),
            ("product_description", "What was served."),
            ("service_date", "The date and time of the meal."),
            ("uncategorized_text", "Anything else the bank should know, in plain sentences."),
        ],
        takeaway: &[
            ("receipt", "The receipt for this order."),
            ("customer_communication", "Any contact with the customer about this order; ask them why they disputed."),
            ("product_description", "What was ordered."),
            ("service_date", "When the order was collected."),
        ],
        delivery: &[
            ("receipt", "The order confirmation sent to the customer."),
            ("shipping_documentation", "Proof of delivery with the time and address."),
            ("customer_communication", "Any contact with the customer about this order; ask them why they disputed."),
            ("shipping_address", "Where the order was delivered."),
            ("product_description", "What was ordered."),
        ],
        catering: &[
            ("service_documentation", "The signed order or event confirmation."),
            ("customer_signature", "The signed catering contract, if there is one."),
            ("customer_communication", "Emails with the customer about the event; ask them why they disputed."),
            ("receipt", "The invoice this payment settled."),
        ],
    },
    Row {
        reason: "customer_initiated",
        title: "Customer asked their bank",
        meaning: "The customer asked their bank to take the payment back without giving a specific reason.",
        dine_in: &[
            ("customer_communication", "Ask the guest why, and attach the exchange, above all a promise to withdraw."),
            ("receipt", "The itemised bill for this payment."),
            ("service_date", "The date and time of the meal."),
            ("product_description", "What was served."),
        ],
        takeaway: &[
            (
                "customer_communication",
                "Ask the customer why, and attach the exchange, above all a promise to withdraw.",
            ),
            ("receipt", "The receipt for this order."),
            ("service_date", "When the order was collected."),
            ("product_description", "What was ordered."),
        ],
        delivery: &[
            (
                "customer_communication",
                "Ask the customer why, and attach the exchange, above all a promise to withdraw.",
            ),
            ("shipping_documentation", "Proof of delivery with the time and address."),
            ("receipt", "The order confirmation sent to the customer."),
            ("shipping_address", "Where the order was delivered."),
        ],
        catering: &[
            (
                "customer_communication",
                "Ask the customer why, and attach the exchange, above all a promise to withdraw.",
            ),
            ("service_documentation", "The signed order or event confirmation."),
            ("receipt", "The invoice this payment settled."),
            ("service_date", "The date of the event."),
        ],
    },
    Row {
        reason: "debit_not_authorized",
        title: "Bank debit not allowed",
        meaning: "The account holder tells their bank they never allowed this debit from their account.",
        dine_in: DEBIT_NOT_AUTHORIZED,
        takeaway: DEBIT_NOT_AUTHORIZED,
        delivery: DEBIT_NOT_AUTHORIZED,
        catering: DEBIT_NOT_AUTHORIZED,
    },
    Row {
        reason: "bank_cannot_process",
        title: "Bank could not process",
        meaning: "The customer's bank says it could not process this payment.",
        dine_in: BANK_FAILURE,
        takeaway: BANK_FAILURE,
        delivery: BANK_FAILURE,
        catering: BANK_FAILURE,
    },
    Row {
        reason: "check_returned",
        title: "Cheque returned",
        meaning: "The customer's bank sent the payment back unpaid, like a bounced cheque.",
        dine_in: BANK_FAILURE,
        takeaway: BANK_FAILURE,
        delivery: BANK_FAILURE,
        catering: BANK_FAILURE,
    },
    Row {
        reason: "incorrect_account_details",
        title: "Wrong account details",
        meaning: "The customer's bank says the account details used for this payment were wrong.",
        dine_in: BANK_FAILURE,
        takeaway: BANK_FAILURE,
        delivery: BANK_FAILURE,
        catering: BANK_FAILURE,
    },
    Row {
        reason: "insufficient_funds",
        title: "Not enough money",
        meaning: "The customer's bank says the account did not have enough money for this payment.",
        dine_in: BANK_FAILURE,
        takeaway: BANK_FAILURE,
        delivery: BANK_FAILURE,
        catering: BANK_FAILURE,
    },
];
