export type FollowUpFilter = { all: boolean, include_done: boolean, };
