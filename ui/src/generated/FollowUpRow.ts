import type { RecordId } from "./RecordId";
export type FollowUpRow = { encounter: RecordId, item: string, text: string, due: string | null, overdue: boolean, done: boolean, owner: RecordId | null, owner_name: string | null, when: string, place: string, };
