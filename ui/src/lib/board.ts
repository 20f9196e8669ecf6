import type { ActivityStatus } from '../generated';

/** The usual next step on the board: idea → planned → running → ended. Ended and dropped have none. */
export function nextStatus(s: ActivityStatus): ActivityStatus | null {
  const order: ActivityStatus[] = ['idea', 'planned', 'running', 'ended'];
  const i = order.indexOf(s);
  return i >= 0 && i < order.length - 1 ? order[i + 1] : null;
}
