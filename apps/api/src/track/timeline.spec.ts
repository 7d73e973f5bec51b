import type { CanonicalStatus, StatusEventRecord } from '@app/shipments';
import { buildTimeline } from './timeline';

/** Events from oldest to newest, handed over newest first as the lookup does. */
const history = (...statuses: CanonicalStatus[]): StatusEventRecord[] =>
  statuses
    .map((status, index) => ({ status, carrierStatus: status, at: new Date(index * 1000) }))
    .reverse();

/** The timeline in short: `status:state`, a detour marked with `~`. */
const sketch = (current: CanonicalStatus, events: StatusEventRecord[]) =>
  buildTimeline(current, events).map(
    (step) => `${step.detour ? '~' : ''}${step.status}:${step.state}`,
  );

describe(buildTimeline.name, () => {
  it.each<[string, CanonicalStatus, CanonicalStatus[], string[]]>([
    [
      'a parcel in transit',
      'in_transit',
      ['info_received', 'in_transit'],
      [
        'info_received:done',
        'in_transit:current',
        'out_for_delivery:upcoming',
        'delivered:upcoming',
      ],
    ],
    [
      'a delivered parcel without history',
      'delivered',
      [],
      ['info_received:done', 'in_transit:done', 'out_for_delivery:done', 'delivered:current'],
    ],
    [
      'a failed attempt, now out for delivery again',
      'out_for_delivery',
      ['in_transit', 'out_for_delivery', 'failed_attempt', 'out_for_delivery'],
      [
        'info_received:done',
        'in_transit:done',
        'out_for_delivery:current',
        '~failed_attempt:done',
        'delivered:upcoming',
      ],
    ],
    [
      'a failed attempt, now',
      'failed_attempt',
      ['in_transit', 'out_for_delivery', 'failed_attempt'],
      [
        'info_received:done',
        'in_transit:done',
        'out_for_delivery:done',
        '~failed_attempt:current',
        'delivered:upcoming',
      ],
    ],
    [
      'ready for pickup after a failed attempt',
      'available_for_pickup',
      ['out_for_delivery', 'failed_attempt', 'available_for_pickup'],
      [
        'info_received:done',
        'in_transit:done',
        'out_for_delivery:done',
        '~failed_attempt:done',
        '~available_for_pickup:current',
        'delivered:upcoming',
      ],
    ],
    [
      'an exception in transit',
      'exception',
      ['info_received', 'in_transit', 'exception'],
      [
        'info_received:done',
        'in_transit:done',
        '~exception:current',
        'out_for_delivery:upcoming',
        'delivered:upcoming',
      ],
    ],
    [
      'an unknown status after transit',
      'unknown',
      ['in_transit', 'unknown'],
      ['info_received:done', 'in_transit:done', 'out_for_delivery:upcoming', 'delivered:upcoming'],
    ],
    [
      'an exception before anything else',
      'exception',
      ['exception'],
      [
        '~exception:current',
        'info_received:upcoming',
        'in_transit:upcoming',
        'out_for_delivery:upcoming',
        'delivered:upcoming',
      ],
    ],
  ])('shows %s', (_name, current, statuses, expected) => {
    expect(sketch(current, history(...statuses))).toEqual(expected);
  });
});
