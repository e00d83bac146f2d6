//! The endpoints that move money (`auth`, `capture`, `void`, `voidByOrderId`, `refund`), PUT or
//! POST with a JSON body: each reads the fields into the operation's request and answers its JSON.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use emulator_kit::lock;

use super::{amount, flag, text, with_body};
use crate::ops::authorize::{self, AuthReq, CaptureReq};
use crate::ops::reverse::{self, RefundReq, VoidByOrderReq, VoidReq};
use crate::SharedState;

pub async fn auth(State(shared): State<SharedState>, bytes: Bytes) -> Response {
    with_body(&bytes, |body| {
        let req = AuthReq {
            merchid: text(body, "merchid"),
            account: text(body, "account"),
            expiry: text(body, "expiry"),
            amount: amount(body),
            currency: text(body, "currency"),
            orderid: text(body, "orderid"),
            capture: flag(body, "capture"),
            profile: text(body, "profile"),
            tokenize: flag(body, "tokenize"),
            receipt: flag(body, "receipt"),
        };
        authorize::auth(&mut lock(&shared), req)
    })
}

pub async fn capture(State(shared): State<SharedState>, bytes: Bytes) -> Response {
    with_body(&bytes, |body| {
        let req = CaptureReq { merchid: text(body, "merchid"), retref: text(body, "retref"), amount: amount(body) };
        authorize::capture(&mut lock(&shared), req)
    })
}

pub async fn void(State(shared): State<SharedState>, bytes: Bytes) -> Response {
    with_body(&bytes, |body| {
        let req = VoidReq { merchid: text(body, "merchid"), retref: text(body, "retref"), amount: amount(body) };
        reverse::void(&mut lock(&shared), req)
    })
}

pub async fn void_by_orderid(State(shared): State<SharedState>, bytes: Bytes) -> Response {
    with_body(&bytes, |body| {
        let req =
            VoidByOrderReq { merchid: text(body, "merchid"), orderid: text(body, "orderid"), amount: amount(body) };
        reverse::void_by_orderid(&mut lock(&shared), req)
    })
}

pub async fn refund(State(shared): State<SharedState>, bytes: Bytes) -> Response {
    with_body(&bytes, |body| {
        let req = RefundReq {
            merchid: text(body, "merchid"),
            retref: text(body, "retref"),
            amount: amount(body),
            orderid: text(body, "orderid"),
        };
        reverse::refund(&mut lock(&shared), req)
    })
}
