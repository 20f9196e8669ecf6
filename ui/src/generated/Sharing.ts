export type Sharing = { unshared_records: number, last_sync: string | null, last_attempt: string | null, online: boolean, };
