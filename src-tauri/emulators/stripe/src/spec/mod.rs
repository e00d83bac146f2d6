//! Stripe's official OpenAPI 3.0 spec (API version 2023-08-16, reduced to the paths we serve) and
//! a strict checker over it.
//!
//! Two users:
//! - the emulator, at run time, refuses request parameters the spec does not define
//!   ([`Operation::unknown_params`]), the way real Stripe answers 400 `parameter_unknown`;
//! - conformance tests validate every response body against the official response schema
//!   ([`Operation::validate_response`], [`Spec::validate_schema`]).
//!
//! The spec file and its provenance live in `spec/` next to `Cargo.toml` (see `spec/SOURCE.md`).
//! Only the keywords Stripe's spec uses are interpreted: `$ref`, `type`, `nullable`, `enum`,
//! `required`, `properties`, `additionalProperties`, `items`, `anyOf`/`oneOf`/`allOf` and
//! `pattern` (only the `^literal` prefix form Stripe uses). `maxLength` and `format` are ignored.

use std::fmt;
use std::sync::LazyLock;

use serde_json::{Map, Value};

mod params;
mod validate;

/// The embedded spec: `spec/connect-subset.json`, a byte-for-byte copy of the shared file.
const SPEC_JSON: &str = include_str!("../../spec/connect-subset.json");

static SPEC: LazyLock<Spec> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(SPEC_JSON).expect("embedded spec/connect-subset.json is not valid JSON");
    Spec::from_value(doc).expect("embedded spec/connect-subset.json is not a usable OpenAPI document")
});

/// The embedded spec, parsed once.
pub fn spec() -> &'static Spec {
    &SPEC
}

/// The HTTP methods an OpenAPI path item can hold, as the spec spells them.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A parsed OpenAPI document plus a route table over its path templates.
pub struct Spec {
    doc: Value,
    routes: Vec<Route>,
}

#[derive(Debug)]
struct Route {
    template: String,
    segments: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Literal(String),
    /// `{name}`: matches one non-empty segment.
    Param,
}

/// Why a JSON document cannot be used as a [`Spec`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a usable OpenAPI document: {0}")]
pub struct InvalidSpec(String);

/// One way a value breaks a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where, like `data[0].requirements.currently_due`; empty for the value itself.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "(root): {}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl Violation {
    fn new(path: &str, message: impl Into<String>) -> Self {
        Self { path: path.to_string(), message: message.into() }
    }
}

/// One operation (method + path template) of the spec.
#[derive(Clone, Copy)]
pub struct Operation<'a> {
    spec: &'a Spec,
    template: &'a str,
    method: &'static str,
    op: &'a Value,
}

// By hand: the derived forms would print the whole 1.7 MB document.
impl fmt::Debug for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spec").field("api_version", &self.api_version()).field("paths", &self.routes.len()).finish()
    }
}

impl fmt::Debug for Operation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("method", &self.method())
            .field("path_template", &self.template)
            .field("operation_id", &self.operation_id())
            .finish()
    }
}

impl Spec {
    /// Checks the document's skeleton (paths with operations that have an `operationId`,
    /// `components/schemas`) and builds the route table.
    pub fn from_value(doc: Value) -> Result<Self, InvalidSpec> {
        let paths =
            doc.get("paths").and_then(Value::as_object).ok_or_else(|| InvalidSpec("no `paths` object".into()))?;
        if !doc.pointer("/components/schemas").is_some_and(Value::is_object) {
            return Err(InvalidSpec("no `components/schemas` object".into()));
        }
        let mut routes = Vec::with_capacity(paths.len());
        for (template, item) in paths {
            let item = item.as_object().ok_or_else(|| InvalidSpec(format!("path item {template} is not an object")))?;
            for (method, op) in item.iter().filter(|(key, _)| METHODS.contains(&key.as_str())) {
                if !op.get("operationId").is_some_and(Value::is_string) {
                    return Err(InvalidSpec(format!("{method} {template} has no operationId")));
                }
            }
            let segments = template
                .strip_prefix('/')
                .ok_or_else(|| InvalidSpec(format!("path {template} does not start with '/'")))?
                .split('/')
                .map(|seg| {
                    if seg.starts_with('{') && seg.ends_with('}') {
                        Segment::Param
                    } else {
                        Segment::Literal(seg.to_string())
                    }
                })
                .collect();
            routes.push(Route { template: template.clone(), segments });
        }
        Ok(Self { doc, routes })
    }

    /// `info.version`, the Stripe API version the spec describes (e.g. `2023-08-16`).
    pub fn api_version(&self) -> &str {
        self.doc.pointer("/info/version").and_then(Value::as_str).unwrap_or("")
    }

    /// Finds the operation for a method (`GET`/`POST`/`DELETE`, any case) and a concrete path like
    /// `/v1/accounts/acct_123/login_links`. `{name}` segments match one non-empty segment; when
    /// several templates match, the one with a literal segment at the first place they differ wins.
    /// A query string (`?…`) on `path` is ignored.
    pub fn operation(&self, method: &str, path: &str) -> Option<Operation<'_>> {
        let method = METHODS.into_iter().find(|m| m.eq_ignore_ascii_case(method))?;
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        let mut best: Option<(&Route, &Value)> = None;
        for route in &self.routes {
            if !route.matches(&segments) {
                continue;
            }
            let Some(op) = self.doc["paths"][route.template.as_str()].get(method) else { continue };
            if best.is_none_or(|(current, _)| route.more_literal_than(current)) {
                best = Some((route, op));
            }
        }
        best.map(|(route, op)| Operation { spec: self, template: route.template.as_str(), method, op })
    }

    /// Validates `value` against the schema at `#/components/schemas/{name}`.
    pub fn validate_schema(&self, name: &str, value: &Value) -> Result<(), Vec<Violation>> {
        match self.schemas().get(name) {
            Some(schema) => validate::validate(self, schema, value),
            None => Err(vec![Violation::new("", format!("the spec has no schema named `{name}`"))]),
        }
    }

    fn schemas(&self) -> &Map<String, Value> {
        self.doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .expect("Spec::from_value checked that components/schemas is an object")
    }

    /// Follows `$ref` chains (`#/components/schemas/...` only). Returns the schema reached and the
    /// name of the last component on the way (for messages). Errors on unknown targets and cycles.
    fn resolve<'s>(&'s self, mut schema: &'s Value) -> Result<(&'s Value, Option<&'s str>), String> {
        const MAX_HOPS: usize = 32;
        let mut name = None;
        for _ in 0..MAX_HOPS {
            let Some(reference) = schema.get("$ref") else { return Ok((schema, name)) };
            let reference = reference.as_str().ok_or("spec error: `$ref` is not a string")?;
            let target = reference
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| format!("spec error: unsupported $ref {reference}"))?;
            schema = self.schemas().get(target).ok_or_else(|| format!("spec error: unresolvable $ref {reference}"))?;
            name = Some(target);
        }
        Err(format!("spec error: $ref chain longer than {MAX_HOPS} hops (cycle?)"))
    }
}

impl Route {
    fn matches(&self, segments: &[&str]) -> bool {
        self.segments.len() == segments.len()
            && self.segments.iter().zip(segments).all(|(want, got)| match want {
                Segment::Literal(lit) => lit == got,
                Segment::Param => !got.is_empty(),
            })
    }

    /// Both routes match the same path: prefer the literal segment at the first difference.
    fn more_literal_than(&self, other: &Route) -> bool {
        for (mine, theirs) in self.segments.iter().zip(&other.segments) {
            match (mine, theirs) {
                (Segment::Literal(_), Segment::Param) => return true,
                (Segment::Param, Segment::Literal(_)) => return false,
                _ => {}
            }
        }
        false
    }
}

impl<'a> Operation<'a> {
    pub fn path_template(&self) -> &'a str {
        self.template
    }

    pub fn operation_id(&self) -> &'a str {
        self.op.get("operationId").and_then(Value::as_str).unwrap_or("")
    }

    /// Upper-case method, e.g. `POST`.
    pub fn method(&self) -> &'static str {
        match self.method {
            "get" => "GET",
            "put" => "PUT",
            "post" => "POST",
            "delete" => "DELETE",
            "options" => "OPTIONS",
            "head" => "HEAD",
            "patch" => "PATCH",
            _ => "TRACE",
        }
    }

    /// Every parameter path in `params` that the spec does not define, e.g.
    /// `["metadata_x", "settings[payouts][schedule][bogus]"]`, each reported at the level where it
    /// stops being defined (`nonsense[a][b]` is reported as `nonsense`).
    ///
    /// `params` is the decoded query string or form body (see [`crate::form::decode`]): nesting as
    /// objects, lists as arrays, leaves as strings. Known top-level names are the operation's
    /// `in: query` parameters plus the properties of its form request body
    /// (`application/x-www-form-urlencoded`, else `multipart/form-data`); Stripe's GET/DELETE
    /// operations define only the former and its POST operations only the latter.
    /// Only names are checked, not values.
    pub fn unknown_params(&self, params: &Map<String, Value>) -> Vec<String> {
        params::unknown(self.spec, self.op, params)
    }

    /// Validates a response body against this operation's response schema for `status` (the exact
    /// code, else `default`, which is where Stripe's error schema lives).
    pub fn validate_response(&self, status: u16, body: &Value) -> Result<(), Vec<Violation>> {
        let responses = &self.op["responses"];
        let Some(response) = responses.get(status.to_string()).or_else(|| responses.get("default")) else {
            return Err(vec![Violation::new(
                "",
                format!("{} defines no response for status {status}", self.operation_id()),
            )]);
        };
        let Some(schema) = response.pointer("/content/application~1json/schema") else {
            return Err(vec![Violation::new(
                "",
                format!("{} has no application/json schema for status {status}", self.operation_id()),
            )]);
        };
        validate::validate(self.spec, schema, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn embedded_spec_is_the_2023_08_16_subset() {
        assert_eq!(spec().api_version(), "2023-08-16");
        assert_eq!(spec().routes.len(), 37);
        let operations: usize = spec()
            .routes
            .iter()
            .map(|r| METHODS.iter().filter(|m| spec().doc["paths"][r.template.as_str()].get(**m).is_some()).count())
            .sum();
        assert_eq!(operations, 60);
    }

    #[test]
    fn finds_operations_by_concrete_path() {
        let op = spec().operation("GET", "/v1/accounts/acct_123").expect("GET /v1/accounts/{account}");
        assert_eq!(op.path_template(), "/v1/accounts/{account}");
        assert_eq!(op.operation_id(), "GetAccountsAccount");
        assert_eq!(op.method(), "GET");

        let op = spec().operation("POST", "/v1/transfers/tr_1/reversals").expect("POST /v1/transfers/{id}/reversals");
        assert_eq!(op.path_template(), "/v1/transfers/{id}/reversals");
        assert_eq!(op.operation_id(), "PostTransfersIdReversals");

        let op = spec().operation("post", "/v1/accounts/acct_1/login_links").expect("lower-case method");
        assert_eq!(op.path_template(), "/v1/accounts/{account}/login_links");

        let op =
            spec().operation("GET", "/v1/transfers/tr_1/reversals/trr_2?expand[]=transfer").expect("query ignored");
        assert_eq!(op.path_template(), "/v1/transfers/{transfer}/reversals/{id}");

        let op = spec().operation("GET", "/v1/accounts").expect("list");
        assert_eq!(op.operation_id(), "GetAccounts");
        assert_eq!(spec().operation("POST", "/v1/account_links").map(|o| o.path_template()), Some("/v1/account_links"));
    }

    #[test]
    fn unknown_paths_and_methods_are_none() {
        assert!(spec().operation("GET", "/v1/nothing_here").is_none());
        assert!(spec().operation("GET", "/v1/accounts/acct_1/nope").is_none());
        assert!(
            spec().operation("GET", "/v1/accounts//login_links").is_none(),
            "empty segment never matches a template"
        );
        assert!(spec().operation("GET", "/v1/accounts/").is_none());
        assert!(spec().operation("DELETE", "/v1/balance").is_none(), "no DELETE on /v1/balance");
        assert!(spec().operation("FETCH", "/v1/balance").is_none());
        assert!(spec().operation("GET", "v1/balance").is_none());
    }

    #[test]
    fn literal_segments_win_over_templates() {
        let doc = json!({
            "paths": {
                "/v1/things/{id}": {"get": {"operationId": "GetThing", "responses": {}}},
                "/v1/things/search": {"get": {"operationId": "SearchThings", "responses": {}}},
                "/v1/{kind}/search": {"get": {"operationId": "SearchKind", "responses": {}}},
            },
            "components": {"schemas": {}}
        });
        let mut spec = Spec::from_value(doc).expect("valid");
        // Both route orders: serde_json maps iterate sorted unless `preserve_order` is unified in.
        for _ in 0..2 {
            assert_eq!(spec.operation("GET", "/v1/things/search").map(|o| o.operation_id()), Some("SearchThings"));
            assert_eq!(spec.operation("GET", "/v1/things/th_1").map(|o| o.operation_id()), Some("GetThing"));
            assert_eq!(spec.operation("GET", "/v1/others/search").map(|o| o.operation_id()), Some("SearchKind"));
            spec.routes.reverse();
        }
        // Without the all-literal route, the earlier literal segment decides.
        spec.routes.retain(|r| r.template != "/v1/things/search");
        for _ in 0..2 {
            assert_eq!(spec.operation("GET", "/v1/things/search").map(|o| o.operation_id()), Some("GetThing"));
            spec.routes.reverse();
        }
    }

    #[test]
    fn refuses_documents_without_the_skeleton() {
        assert!(Spec::from_value(json!({"components": {"schemas": {}}})).is_err());
        assert!(Spec::from_value(json!({"paths": {}})).is_err());
        assert!(Spec::from_value(json!({"paths": {"/x": {"get": {}}}, "components": {"schemas": {}}})).is_err());
    }

    #[test]
    fn debug_output_stays_small() {
        let op = spec().operation("GET", "/v1/balance").expect("balance");
        assert_eq!(
            format!("{op:?}"),
            r#"Operation { method: "GET", path_template: "/v1/balance", operation_id: "GetBalance" }"#
        );
        assert_eq!(format!("{:?}", spec()), r#"Spec { api_version: "2023-08-16", paths: 37 }"#);
    }

    #[test]
    fn violation_display() {
        assert_eq!(Violation::new("a[0].b", "boom").to_string(), "a[0].b: boom");
        assert_eq!(Violation::new("", "boom").to_string(), "(root): boom");
    }
}
