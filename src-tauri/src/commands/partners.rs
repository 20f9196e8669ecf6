use chrono::Utc;
use samskap::doc::Loaded;
use samskap::forms::{
    AgreementEdit, ContactEdit, EvaluationEdit, NewAgreement, NewContact, NewEvaluation, NewPartner, PartnerEdit,
    PartnerItem,
};
use samskap::model::{Level, Partner, RecordId};
use samskap::store::{ErasureStatus, MergePlan, PartnerOverview, PartnerQuery, PartnerRow, StoreError};
use tauri::State;

use crate::error::ApiResult;
use crate::ipc::PartnerFilter;
use crate::state::AppState;

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

/// How many partners the list holds with these filters (the list pages through them).
#[tauri::command(async)]
pub fn count_partners(state: State<'_, AppState>, filter: PartnerFilter) -> ApiResult<u64> {
    state.with(|s| s.count_partners(&PartnerQuery::from(&filter)))
}

/// Merged partners, last met, and where a merged partner's links now lead.
#[tauri::command(async)]
pub fn partner_overview(state: State<'_, AppState>, id: RecordId) -> ApiResult<PartnerOverview> {
    state.with(|s| s.partner_overview(id))
}

#[tauri::command(async)]
pub fn update_partner(state: State<'_, AppState>, id: RecordId, edit: PartnerEdit) -> ApiResult<Loaded<Partner>> {
    state.with(|s| s.update::<Partner>(id, |p| edit.apply(p)))
}

/// An item edit that finds nothing (removed on another device) writes
/// nothing and says so.
fn edit_item(
    s: &mut samskap::store::Store,
    id: RecordId,
    what: &'static str,
    item: &str,
    edit: impl FnOnce(&mut Partner) -> bool,
) -> Result<Loaded<Partner>, StoreError> {
    let mut found = false;
    let p = s.update::<Partner>(id, |p| found = edit(p))?;
    if found {
        Ok(p)
    } else {
        Err(StoreError::NoItem { what, id: item.to_string() })
    }
}

#[tauri::command(async)]
pub fn update_contact(state: State<'_, AppState>, id: RecordId, edit: ContactEdit) -> ApiResult<Loaded<Partner>> {
    state.with(|s| edit_item(s, id, "contact person", &edit.id, |p| edit.apply(p)))
}

#[tauri::command(async)]
pub fn update_agreement(state: State<'_, AppState>, id: RecordId, edit: AgreementEdit) -> ApiResult<Loaded<Partner>> {
    state.with(|s| edit_item(s, id, "agreement", &edit.id, |p| edit.apply(p)))
}

#[tauri::command(async)]
pub fn update_evaluation(state: State<'_, AppState>, id: RecordId, edit: EvaluationEdit) -> ApiResult<Loaded<Partner>> {
    state.with(|s| edit_item(s, id, "evaluation", &edit.id, |p| edit.apply(p)))
}

#[tauri::command(async)]
pub fn remove_partner_item(
    state: State<'_, AppState>,
    id: RecordId,
    item: PartnerItem,
    item_id: String,
) -> ApiResult<Loaded<Partner>> {
    let what = match item {
        PartnerItem::Agreement => "agreement",
        PartnerItem::Evaluation => "evaluation",
    };
    state.with(|s| edit_item(s, id, what, &item_id, |p| item.remove(p, &item_id)))
}

/// Erases one contact person on every copy (crypto-shredding).
#[tauri::command(async)]
pub fn erase_contact(state: State<'_, AppState>, id: RecordId, contact: String) -> ApiResult<Loaded<Partner>> {
    state.with(|s| {
        s.erase_contact(id, &contact)?;
        s.get::<Partner>(id)
    })
}

/// Erases a partner on every copy; returns its erasure with the receipts so far.
#[tauri::command(async)]
pub fn erase_partner(state: State<'_, AppState>, id: RecordId) -> ApiResult<Option<ErasureStatus>> {
    state.with(|s| {
        s.erase(id)?;
        Ok::<_, StoreError>(s.erasures()?.into_iter().find(|e| e.record == id))
    })
}

/// Every erasure this device knows, with the devices that have carried it out.
#[tauri::command(async)]
pub fn erasures(state: State<'_, AppState>) -> ApiResult<Vec<ErasureStatus>> {
    state.with(|s| s.erasures())
}

/// What merging `drop` into `keep` would move (the confirmation says it).
#[tauri::command(async)]
pub fn plan_merge(state: State<'_, AppState>, keep: RecordId, drop: RecordId) -> ApiResult<MergePlan> {
    state.with(|s| s.plan_merge(keep, drop))
}

#[tauri::command(async)]
pub fn merge_partners(state: State<'_, AppState>, keep: RecordId, drop: RecordId) -> ApiResult<MergePlan> {
    state.with(|s| s.merge_partners(keep, drop))
}
