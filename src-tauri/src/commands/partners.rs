use chrono::Utc;
use samskap::doc::Loaded;
use samskap::forms::{NewAgreement, NewContact, NewEvaluation, NewPartner};
use samskap::model::{Level, Partner, RecordId};
use samskap::store::{PartnerQuery, PartnerRow};
use tauri::State;

use crate::error::ApiResult;
use crate::state::AppState;
use crate::wire::PartnerFilter;

#[tauri::command(async)]
pub fn list_partners(state: State<'_, AppState>, filter: PartnerFilter) -> ApiResult<Vec<PartnerRow>> {
    state.with(|s| s.list_partners(&PartnerQuery::from(&filter)))
}

#[tauri::command(async)]
pub fn create_partner(state: State<'_, AppState>, form: NewPartner) -> ApiResult<Loaded<Partner>> {
    state.with(|s| {
        let id = s.create(&form.to_partner(s.me()))?;
        s.get::<Partner>(id)
    })
}

#[tauri::command(async)]
pub fn get_partner(state: State<'_, AppState>, id: RecordId) -> ApiResult<Loaded<Partner>> {
    state.with(|s| s.get::<Partner>(id))
}

/// Moves a partner on the network circle; the move is kept in its history.
#[tauri::command(async)]
pub fn move_partner(state: State<'_, AppState>, id: RecordId, level: Level) -> ApiResult<Loaded<Partner>> {
    state.with(|s| {
        let me = s.me();
        s.update::<Partner>(id, |p| {
            p.move_to(level, me, samskap::model::now());
        })
    })
}

#[tauri::command(async)]
pub fn add_contact(state: State<'_, AppState>, id: RecordId, contact: NewContact) -> ApiResult<Loaded<Partner>> {
    state.with(|s| s.update::<Partner>(id, |p| p.contacts.push(contact.to_contact())))
}

#[tauri::command(async)]
pub fn add_agreement(state: State<'_, AppState>, id: RecordId, agreement: NewAgreement) -> ApiResult<Loaded<Partner>> {
    let today = Utc::now().date_naive();
    state.with(|s| s.update::<Partner>(id, |p| p.agreements.push(agreement.to_agreement(today))))
}

#[tauri::command(async)]
pub fn add_evaluation(
    state: State<'_, AppState>,
    id: RecordId,
    evaluation: NewEvaluation,
) -> ApiResult<Loaded<Partner>> {
    state.with(|s| {
        let me = s.me();
        s.update::<Partner>(id, |p| p.evaluations.push(evaluation.to_evaluation(me)))
    })
}
