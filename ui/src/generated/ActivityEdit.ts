import type { ActivityStatus } from "./ActivityStatus";
import type { RecordId } from "./RecordId";
export type ActivityEdit = { title: string, status: ActivityStatus, partners: Array<RecordId>, from_encounters: Array<RecordId>, outside: boolean, place: string, extra_resources: boolean | null, note: string, tags: string, };
