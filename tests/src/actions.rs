//! What a test does in the window. Each action waits, up to [`WAIT`], for the state it needs — the
//! element there, visible and enabled, the option offered, the text settled — and fails saying
//! what it expected and what the screen showed instead.

use std::cell::RefCell;
use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;
use serde_json::{json, Value};

use crate::{App, WAIT};

/// How an element is found: owned, so that a probe can be run again and again.
#[derive(Debug, Clone)]
pub enum Find {
    Css(String),
    XPath(String),
}

impl Find {
    fn locator(&self) -> Locator<'_> {
        match self {
            Find::Css(s) => Locator::Css(s),
            Find::XPath(s) => Locator::XPath(s),
        }
    }
}

impl Display for Find {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Find::Css(s) => write!(f, "{s}"),
            Find::XPath(s) => write!(f, "xpath {s}"),
        }
    }
}

/// The element with accessible name `label`: its `aria-label`, or the text of its `<label for>`.
fn by_label(label: &str) -> Find {
    Find::XPath(format!("//*[@aria-label=\"{label}\"] | //*[@id=//label[normalize-space(.)=\"{label}\"]/@for]"))
}

/// How long a read must stay the same before it counts as settled.
const SETTLE: Duration = Duration::from_millis(300);

impl App {
    /// Runs `probe` until it gives a value, backing off from 25 ms to 200 ms between tries. After
    /// `wait` it fails with `expected` and the last thing the probe saw (its `Err`).
    pub async fn until<T, F, Fut>(&self, expected: impl Display, wait: Duration, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, String>>,
    {
        let start = Instant::now();
        let mut pause = Duration::from_millis(25);
        loop {
            match probe().await {
                Ok(value) => return value,
                Err(seen) if start.elapsed() >= wait => {
                    self.fail(format!("waited {wait:?} for {expected}; last saw: {seen}")).await
                }
                Err(_) => {}
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(200));
        }
    }

    /// Fails the test with `message` and the text the window shows; the screenshot is taken as the
    /// app is dropped (see `Drop for App`).
    pub async fn fail(&self, message: impl Display) -> ! {
        let script = "return document.body ? document.body.innerText : '(no document body)';";
        let screen = match self.client.execute(script, vec![]).await {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(e) => format!("(the window did not answer: {e})"),
        };
        let mut shown: String = screen.chars().take(3000).collect();
        if shown.len() < screen.len() {
            shown.push_str("\n…");
        }
        panic!("{message}\n--- the window showed ---\n{shown}\n---");
    }

    /// The first element `find` matches that is visible and, when `enabled`, enabled.
    async fn ready(&self, find: &Find, enabled: bool) -> Result<Element, String> {
        let found = self.client.find_all(find.locator()).await.map_err(|e| e.to_string())?;
        if found.is_empty() {
            return Err("no such element".into());
        }
        for el in &found {
            let shown = el.is_displayed().await.unwrap_or(false);
            if shown && (!enabled || el.is_enabled().await.unwrap_or(false)) {
                return Ok(el.clone());
            }
        }
        Err(format!(
            "{} such element(s), none {}",
            found.len(),
            if enabled { "visible and enabled" } else { "visible" }
        ))
    }

    /// Waits for an element matching `find` to be on the page (visible or not) and returns it.
    pub async fn find(&self, find: Find) -> Element {
        let find = &find;
        self.until(format!("an element {find}"), WAIT, move || async move {
            self.client.find(find.locator()).await.map_err(|e| e.to_string())
        })
        .await
    }

    /// Waits for an element matching a CSS selector.
    pub async fn css(&self, selector: &str) -> Element {
        self.find(Find::Css(selector.into())).await
    }

    /// Waits for an element by its accessible name: `aria-label`, or the text of its `<label for>`.
    pub async fn labelled(&self, label: &str) -> Element {
        self.find(by_label(label)).await
    }

    /// Waits for a visible, enabled button whose text contains `text`.
    pub async fn button(&self, text: &str) -> Element {
        let find = Find::XPath(format!("//button[contains(normalize-space(.), \"{text}\")]"));
        let find = &find;
        self.until(format!("a visible, enabled button {text:?}"), WAIT, move || self.ready(find, true)).await
    }

    /// Clicks the first element `find` matches once it is visible and enabled. A click the page
    /// refuses (the element was replaced or covered meanwhile) is tried again on the new element.
    pub async fn click(&self, find: Find) {
        let find = &find;
        self.until(format!("{find} to be visible, enabled and take a click"), WAIT, move || async move {
            let el = self.ready(find, true).await?;
            el.click().await.map_err(|e| format!("the click was refused: {e}"))
        })
        .await
    }

    /// Clicks the button whose text contains `text`.
    pub async fn click_button(&self, text: &str) {
        self.click(Find::XPath(format!("//button[contains(normalize-space(.), \"{text}\")]"))).await
    }

    /// Clicks the first element matching a CSS selector.
    pub async fn click_css(&self, selector: &str) {
        self.click(Find::Css(selector.into())).await
    }

    /// Clicks the first element matching an XPath.
    pub async fn click_xpath(&self, xpath: &str) {
        self.click(Find::XPath(xpath.into())).await
    }

    /// Picks `value` in the `<select>` with accessible name `label`: waits until the select is
    /// enabled and offers that option (a picker may still be filling), picks it, and waits until
    /// the select shows it. Gives up listing the options it saw.
    pub async fn select(&self, label: &str, value: &str) {
        let find = by_label(label);
        let read = "const s = arguments[0]; return { disabled: s.disabled, value: s.value, options: [...s.options].map((o) => o.value) };";
        let find = &find;
        self.until(format!("{label:?} to offer {value:?} and show it picked"), WAIT, move || async move {
            let select = self.client.find(find.locator()).await.map_err(|e| format!("no select: {e}"))?;
            let state = self.client.execute(read, vec![json!(select)]).await.map_err(|e| e.to_string())?;
            if state["value"] == value {
                return Ok(());
            }
            let options = &state["options"];
            let offered = options.as_array().is_some_and(|o| o.iter().any(|v| v == value));
            if state["disabled"] == true || !offered {
                return Err(format!("disabled: {}, value {}, options {options}", state["disabled"], state["value"]));
            }
            select.select_by_value(value).await.map_err(|e| e.to_string())?;
            Err(format!("picked {value:?}; the select does not show it yet"))
        })
        .await
    }

    /// Replaces the text of the field with accessible name `label`, once it is visible and
    /// enabled, and waits until the field holds exactly that text.
    pub async fn fill(&self, label: &str, text: &str) {
        let find = by_label(label);
        let find = &find;
        self.until(format!("{label:?} to hold {text:?}"), WAIT, move || async move {
            let field = self.ready(find, true).await?;
            let value = field.prop("value").await.map_err(|e| e.to_string())?.unwrap_or_default();
            if value == text {
                return Ok(());
            }
            field.clear().await.map_err(|e| format!("clear: {e}"))?;
            if !text.is_empty() {
                field.send_keys(text).await.map_err(|e| format!("typing: {e}"))?;
            }
            let value = field.prop("value").await.map_err(|e| e.to_string())?.unwrap_or_default();
            if value == text {
                Ok(())
            } else {
                Err(format!("holds {value:?}"))
            }
        })
        .await
    }

    /// Waits until the element matched by `selector` has text containing `needle`; returns the text.
    pub async fn wait_for_text(&self, selector: &str, needle: &str) -> String {
        self.wait_for_text_within(selector, needle, WAIT).await
    }

    /// [`App::wait_for_text`] with another wait, for syncs.
    pub async fn wait_for_text_within(&self, selector: &str, needle: &str, wait: Duration) -> String {
        self.until(format!("{selector} to show {needle:?}"), wait, move || async move {
            let el = self.client.find(Locator::Css(selector)).await.map_err(|_| "no such element".to_string())?;
            let text = el.text().await.map_err(|e| e.to_string())?;
            if text.contains(needle) {
                Ok(text)
            } else {
                Err(format!("it shows {text:?}"))
            }
        })
        .await
    }

    /// The texts of every element matching `selector` (none is fine), once they have stayed the
    /// same for a moment: a list still rendering is not read half-way.
    pub async fn texts(&self, selector: &str) -> Vec<String> {
        let script = "return [...document.querySelectorAll(arguments[0])].map((e) => e.innerText.trim());";
        self.settled(format!("the texts of {selector}"), script, json!(selector)).await
    }

    /// The `attribute` of every element matching `selector`, once settled like [`App::texts`].
    pub async fn attrs(&self, selector: &str, attribute: &str) -> Vec<String> {
        let script =
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.getAttribute(arguments[1]) ?? '');";
        self.settled(format!("the {attribute} of {selector}"), script, json!([selector, attribute])).await
    }

    /// Runs `script` (with `args`: one value, or an array of them) until it returns the same list
    /// for [`SETTLE`].
    async fn settled(&self, what: String, script: &str, args: Value) -> Vec<String> {
        let args = match args {
            Value::Array(list) => list,
            one => vec![one],
        };
        let last: RefCell<Option<(Vec<String>, Instant)>> = RefCell::new(None);
        let (last, args) = (&last, &args);
        self.until(format!("{what} to settle"), WAIT, move || async move {
            let read = self.client.execute(script, args.clone()).await.map_err(|e| e.to_string())?;
            let now: Vec<String> = serde_json::from_value(read).map_err(|e| e.to_string())?;
            let mut last = last.borrow_mut();
            match last.as_ref() {
                Some((before, since)) if *before == now && since.elapsed() >= SETTLE => Ok(now),
                Some((before, _)) if *before == now => Err(format!("{now:?}, for less than {SETTLE:?}")),
                _ => {
                    *last = Some((now.clone(), Instant::now()));
                    Err(format!("{now:?}, just changed"))
                }
            }
        })
        .await
    }

    /// Waits until `selector` matches exactly `expected` elements, or at least one when `None`;
    /// returns how many.
    pub async fn count(&self, selector: &str, expected: Option<usize>) -> usize {
        let want = expected.map_or("at least one".to_string(), |n| n.to_string());
        self.until(format!("{want} elements {selector}"), WAIT, move || async move {
            let n = self.client.find_all(Locator::Css(selector)).await.map_err(|e| e.to_string())?.len();
            match expected {
                Some(e) if e == n => Ok(n),
                None if n > 0 => Ok(n),
                _ => Err(format!("{n} of them")),
            }
        })
        .await
    }

    /// Runs `invoke(command, args)` in the web view, as a script typed into its console would,
    /// and returns the rejection (`{code, message}`) or `{"ok": value}`.
    pub async fn invoke_from_console(&self, command: &str, args: Value) -> Value {
        let script = "const [cmd, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke(cmd, args).then((v) => done({ ok: v }), (e) => done(e));";
        match self.client.execute_async(script, vec![json!(command), args]).await {
            Ok(answer) => answer,
            Err(e) => self.fail(format!("invoke {command} from the console: {e}")).await,
        }
    }

    /// The labels of the left navigation, in order, once settled.
    pub async fn nav_labels(&self) -> Vec<String> {
        self.css("nav[aria-label='Sections'] button.nav-item").await;
        self.texts("nav[aria-label='Sections'] button.nav-item")
            .await
            .into_iter()
            .map(|label| label.trim_start_matches(|c: char| !c.is_alphanumeric()).trim().to_string())
            .collect()
    }

    /// Opens a section from the left navigation and waits for its screen.
    pub async fn open_section(&self, name: &str) {
        self.click_xpath(&format!(
            "//nav[@aria-label='Sections']//button[normalize-space(.)=\"{name}\" or contains(., \"{name}\")]"
        ))
        .await;
        self.css(&format!("main[aria-label=\"{name}\"]")).await;
    }

    /// First run on a new PC: creates the owner profile through the set-up screen and waits for the
    /// app frame.
    pub async fn set_up_owner(&self, name: &str, pin: &str) {
        self.fill("Your name", name).await;
        self.fill("PIN (4 to 8 digits)", pin).await;
        self.fill("PIN again", pin).await;
        self.click_button("Create profile and start").await;
        self.css("nav[aria-label='Sections']").await;
    }

    /// First run in demo mode as a platform admin: the profile made on the set-up screen, then the
    /// first sync waited for (the demo group takes a while on a loaded machine).
    pub async fn set_up_admin_and_sync(&self, name: &str, pin: &str) {
        self.labelled("Demo mode").await;
        self.fill("Your name", name).await;
        self.select("Role", "platform_admin").await;
        self.fill("PIN (4 to 8 digits)", pin).await;
        self.fill("PIN again", pin).await;
        self.click_button("Create profile and start").await;
        self.css("nav[aria-label='Sections']").await;
        self.wait_for_text_within("[aria-label='Sync progress']", "All data synced", Duration::from_secs(180)).await;
    }

    /// Unlocks the lock screen as `profile` with `pin` and waits until the desk shows that profile.
    pub async fn unlock_as(&self, profile: &str, pin: &str) {
        self.css("main[aria-label='Locked']").await;
        self.click_button(profile).await;
        self.fill(&format!("PIN for {profile}"), pin).await;
        self.click_button("Unlock").await;
        self.wait_for_text("[data-field='profile-name']", profile).await;
    }

    /// Adds a profile (unscoped) in Settings → Profiles as the signed-in owner or admin, and waits
    /// until the list shows it.
    pub async fn add_profile(&self, name: &str, role: &str, pin: &str) {
        self.open_section("Settings").await;
        self.click_button("Profiles").await;
        self.click_button("Add profile").await;
        self.fill("Name", name).await;
        self.select("Role", role).await;
        self.fill("PIN (4 to 8 digits)", pin).await;
        self.click_button("Create profile").await;
        self.wait_for_text("table[aria-label='Profiles']", name).await;
    }

    /// The payouts listed, as the count above the list says ("1,234 payouts").
    pub async fn payout_count(&self) -> usize {
        self.wait_for_text("[aria-label='Payout count']", "payouts")
            .await
            .split_whitespace()
            .next()
            .and_then(|n| n.replace(',', "").parse().ok())
            .expect("a payout count")
    }

    /// Exports the payouts listed through the real save dialog to `file` and reads it back, header first.
    pub async fn export_payouts_csv(&self, file: &std::path::Path) -> Vec<Vec<String>> {
        self.click_button("Export CSV").await;
        self.save_through_dialog(file).await;
        self.wait_for_text("main p[role='status']", "payouts saved").await;
        crate::csv_rows(file)
    }

    /// Pastes a secret key in Settings → Stripe connection (the API base comes from the launch
    /// environment), waits until it is accepted, and returns to the Overview, where the first sync
    /// of the new connection starts; waits until it has finished.
    pub async fn connect_and_sync(&self, key: &str) {
        self.open_section("Settings").await;
        self.fill("Stripe secret key", key).await;
        self.click_button("Check and save key").await;
        self.wait_for_text("form [role='status']", "Connected with").await;
        self.open_section("Overview").await;
        self.wait_for_text_within("[aria-label='Sync progress']", "All data synced", Duration::from_secs(120)).await;
    }
}
