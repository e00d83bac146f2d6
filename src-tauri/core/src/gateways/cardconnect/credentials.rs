//! CardPointe API credentials: a user name and a password per site. The password never appears
//! in `Debug` output, logs or errors; only the `Authorization` header and the keyring see it.

use std::fmt;

use super::CardConnectError;

/// The API password of a CardPointe site.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiPassword(String);

impl ApiPassword {
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    /// The password itself, for the `Authorization` header and the keyring only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiPassword(••••••••)")
    }
}

/// The API user and password CardPointe issued for a site.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Credentials {
    user: String,
    password: ApiPassword,
}

impl Credentials {
    /// Checks the shape of what was typed: HTTP Basic cannot carry a user name with a colon, and
    /// surrounding white space of the user name is a paste artefact. The password is kept as is.
    pub fn new(user: &str, password: ApiPassword) -> Result<Self, CardConnectError> {
        let user = user.trim();
        if user.is_empty() {
            return Err(CardConnectError::BadInput("The CardPointe API user name is empty.".into()));
        }
        if user.contains(':') || user.chars().any(char::is_control) {
            return Err(CardConnectError::BadInput(
                "The CardPointe API user name cannot contain a colon or control characters; copy it again.".into(),
            ));
        }
        if password.expose().is_empty() {
            return Err(CardConnectError::BadInput("The CardPointe API password is empty.".into()));
        }
        Ok(Self { user: user.to_string(), password })
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn password(&self) -> &ApiPassword {
        &self.password
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_prints() {
        let credentials = Credentials::new(" harbor ", ApiPassword::new("s3cret-pass")).unwrap();
        assert_eq!(credentials.user(), "harbor");
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("harbor"));
        assert!(Credentials::new("a:b", ApiPassword::new("x")).is_err());
        assert!(Credentials::new("", ApiPassword::new("x")).is_err());
        assert!(Credentials::new("a", ApiPassword::new("")).is_err());
    }
}
