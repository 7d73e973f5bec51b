import type { CanonicalStatus, StatusEventRecord } from '@app/shipments';

/** The way a parcel normally goes. */
export const MAIN_STEPS = ['info_received', 'in_transit', 'out_for_delivery', 'delivered'] as const;

export interface TimelineStep {
  status: CanonicalStatus;
  state: 'done' | 'current' | 'upcoming';
  /** A step off the normal way (a failed attempt, a pickup, an exception): shown where it happened. */
  detour: boolean;
}

const mainIndex = (status: CanonicalStatus): number =>
  (MAIN_STEPS as readonly CanonicalStatus[]).indexOf(status);

/**
 * The status as steps: the four main ones, done up to the current status, and each detour the
 * history went through after the main step it happened at. The current status is the one
 * marked current; `unknown` marks none (the main steps reached so far stay done).
 * @param events newest first, as the lookup gives them
 */
export function buildTimeline(
  current: CanonicalStatus,
  events: readonly StatusEventRecord[],
): TimelineStep[] {
  const history = events.length > 0 ? [...events].reverse().map((e) => e.status) : [current];
  // Where each detour happened: after the furthest main step reached before it.
  let reached = -1;
  const detours: { status: CanonicalStatus; after: number }[] = [];
  for (const status of history) {
    const index = mainIndex(status);
    if (index >= 0) reached = Math.max(reached, index);
    else if (status !== 'unknown') {
      const last = detours[detours.length - 1];
      if (!last || last.status !== status || last.after !== reached) {
        detours.push({ status, after: reached });
      }
    }
  }
  const currentMain = mainIndex(current);
  const currentDetour =
    currentMain < 0 && current !== 'unknown' ? detours[detours.length - 1] : undefined;
  // How far the parcel is on the main way now.
  const position = currentMain >= 0 ? currentMain : currentDetour ? currentDetour.after : reached;

  const steps: TimelineStep[] = [];
  const addDetours = (after: number) => {
    for (const detour of detours) {
      if (detour.after !== after) continue;
      const isCurrent = detour === currentDetour;
      // A detour the parcel has left behind is done; one beyond where it is now is not shown.
      if (!isCurrent && after > position) continue;
      steps.push({ status: detour.status, state: isCurrent ? 'current' : 'done', detour: true });
    }
  };
  addDetours(-1);
  MAIN_STEPS.forEach((status, index) => {
    const state = index === currentMain ? 'current' : index <= position ? 'done' : 'upcoming';
    steps.push({ status, state, detour: false });
    addDetours(index);
  });
  return steps;
}
