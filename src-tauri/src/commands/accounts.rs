//! Accounts screen (platform admins): the restaurants' accounts, one account with what Stripe
//! needs, creating one, onboarding, update and Express dashboard links; and, in Settings, where
//! Stripe sends owners back after a link.

use md_core::accounts::create_rules::{AccountForm, CountryOption};
use md_core::accounts::links::{AccountLinkUrls, AccountLinkView, DashboardLinkView, LinkKind};
use md_core::accounts::mcc::Mcc;
use md_core::accounts::profile_edit::BusinessProfileForm;
use md_core::accounts::views::{AccountChoice, AccountDetail, AccountPage, AccountsFilter};
use tauri::State;

use crate::error::CommandError;
use crate::AppState;

/// A page of the restaurants' accounts (`limit` rows from `offset`) and how many match.
#[tauri::command]
#[specta::specta]
pub fn accounts_list(
    state: State<'_, AppState>,
    filter: AccountsFilter,
    offset: u32,
    limit: u32,
) -> Result<AccountPage, CommandError> {
    Ok(state.desk.accounts_list(&filter, offset, limit)?)
}

/// Every connected account the profile may see (of `status`, when given), by name, for a picker.
#[tauri::command]
#[specta::specta]
pub fn account_choices(state: State<'_, AppState>, status: Option<String>) -> Result<Vec<AccountChoice>, CommandError> {
    Ok(state.desk.account_choices(status.as_deref())?)
}

#[tauri::command]
#[specta::specta]
pub fn account_detail(state: State<'_, AppState>, account: String) -> Result<AccountDetail, CommandError> {
    Ok(state.desk.account_detail(&account)?)
}

/// Creates the account under `confirmation` (the key made when the person confirmed).
#[tauri::command]
#[specta::specta]
pub async fn account_create(
    state: State<'_, AppState>,
    form: AccountForm,
    confirmation: String,
) -> Result<AccountDetail, CommandError> {
    Ok(state.desk.create_account(&form, Some(&confirmation)).await?)
}

/// A first onboarding link (platform admins).
#[tauri::command]
#[specta::specta]
pub async fn account_onboarding_link(
    state: State<'_, AppState>,
    account: String,
) -> Result<AccountLinkView, CommandError> {
    Ok(state.desk.account_link(&account, LinkKind::Onboarding).await?)
}

/// A link for the owner to update what Stripe needs (owners too, for their restaurants).
#[tauri::command]
#[specta::specta]
pub async fn account_update_link(state: State<'_, AppState>, account: String) -> Result<AccountLinkView, CommandError> {
    Ok(state.desk.account_link(&account, LinkKind::Update).await?)
}

#[tauri::command]
#[specta::specta]
pub async fn account_login_link(
    state: State<'_, AppState>,
    account: String,
) -> Result<DashboardLinkView, CommandError> {
    Ok(state.desk.login_link(&account).await?)
}

/// Opens a link this window was handed in the browser — once, and never after it expired.
#[tauri::command]
#[specta::specta]
pub fn account_link_open(state: State<'_, AppState>, handle: String) -> Result<(), CommandError> {
    Ok(state.desk.open_link(&handle, crate::browser::open)?)
}

/// Changes a restaurant's business profile under `confirmation`.
#[tauri::command]
#[specta::specta]
pub async fn account_profile_update(
    state: State<'_, AppState>,
    account: String,
    form: BusinessProfileForm,
    confirmation: String,
) -> Result<AccountDetail, CommandError> {
    Ok(state.desk.update_business_profile(&account, &form, Some(&confirmation)).await?)
}

/// The create form's pickers: restaurant MCCs (searched) and the countries Stripe supports.
#[tauri::command]
#[specta::specta]
pub fn account_mccs(state: State<'_, AppState>, text: String) -> Result<Vec<Mcc>, CommandError> {
    Ok(state.desk.account_mccs(&text)?)
}

#[tauri::command]
#[specta::specta]
pub fn account_countries(state: State<'_, AppState>) -> Result<Vec<CountryOption>, CommandError> {
    Ok(state.desk.account_countries()?)
}

#[tauri::command]
#[specta::specta]
pub fn account_link_urls_get(state: State<'_, AppState>) -> Result<Option<AccountLinkUrls>, CommandError> {
    Ok(state.desk.account_link_urls()?)
}

#[tauri::command]
#[specta::specta]
pub fn account_link_urls_set(
    state: State<'_, AppState>,
    urls: AccountLinkUrls,
) -> Result<AccountLinkUrls, CommandError> {
    Ok(state.desk.set_account_link_urls(&urls)?)
}
