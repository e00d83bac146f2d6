//! Opening a link in the person's browser, outside the app: the webview never loads remote
//! content. `$BROWSER` wins when set (the Unix convention, also how a headless test watches
//! what was opened); otherwise the desktop's default handler, through the `open` crate (the one
//! Tauri's own opener plugin uses), which knows xdg-open, macOS `open` and Windows' shell.

/// Hands `url` to the browser; `Err` says why it could not be.
pub fn open(url: &str) -> Result<(), String> {
    let browser = std::env::var("BROWSER").ok().and_then(|b| b.split(':').next().map(str::trim).map(str::to_string));
    let opened = match browser.filter(|b| !b.is_empty()) {
        Some(program) => std::process::Command::new(program).arg(url).spawn().map(|mut child| {
            // Reaped off the command's thread, so no zombie is left behind.
            std::thread::spawn(move || child.wait());
        }),
        None => open::that_detached(url),
    };
    opened.map_err(|err| {
        tracing::warn!(error = %err, "the browser could not be opened");
        err.to_string()
    })
}
