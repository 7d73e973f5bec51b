import type { EntityManager } from 'typeorm';
import {
  noUpsertCounts,
  type ShipmentInput,
  type ShipmentOutcome,
  type UpsertCounts,
  type UpsertResult,
} from '../shipment.types';
import { SHIPMENT_COLUMNS } from './shipment-columns';
import {
  APPEND_STATUS_EVENTS,
  INSERT_CITY_LOCATIONS,
  INSERT_LOCATIONS,
  TOUCH_SHIPMENTS,
  UPSERT_ARTICLES,
  UPSERT_SHIPMENTS,
} from './upsert-statements';

const OUTCOME_COUNTER = {
  created: 'shipmentsCreated',
  updated: 'shipmentsUpdated',
  unchanged: 'shipmentsUnchanged',
} as const satisfies Record<ShipmentOutcome, keyof UpsertCounts>;

/**
 * Writes a batch of shipments and their articles with the named statements, inside the caller's
 * transaction. Shipment keys must be unique within the batch.
 */
export async function upsertShipments(
  manager: EntityManager,
  shipments: ShipmentInput[],
): Promise<UpsertResult> {
  const receivers = [
    shipments.map((s) => s.receiver.countryCode),
    shipments.map((s) => s.receiver.zip),
    shipments.map((s) => s.receiver.city),
  ];
  await manager.query(INSERT_LOCATIONS, receivers);
  if (shipments.some((s) => s.receiver.zip === null && s.receiver.city !== null)) {
    await manager.query(INSERT_CITY_LOCATIONS, receivers);
  }
  const rows: { ord: number; id: string; inserted: boolean | null; earlier: boolean }[] =
    await manager.query(
      UPSERT_SHIPMENTS,
      SHIPMENT_COLUMNS.map((column) => shipments.map(column.from)),
    );

  const ids = new Array<string>(shipments.length);
  const shipmentOutcomes = new Array<ShipmentOutcome>(shipments.length);
  const writtenEarlier = new Array<boolean>(shipments.length);
  const result: UpsertResult = { shipmentOutcomes, writtenEarlier, ...noUpsertCounts() };
  for (const row of rows) {
    ids[row.ord - 1] = row.id;
    const outcome =
      row.inserted === true ? 'created' : row.inserted === false ? 'updated' : 'unchanged';
    shipmentOutcomes[row.ord - 1] = outcome;
    writtenEarlier[row.ord - 1] = row.earlier;
    // Written by an earlier batch of this transaction: counted there already.
    if (!row.earlier) result[OUTCOME_COUNTER[outcome]]++;
  }
  result.statusEvents = await appendStatusEvents(manager, shipments, ids, shipmentOutcomes);

  const articles = shipments.flatMap((shipment, index) =>
    shipment.articles.map((article) => ({ shipmentId: ids[index], ...article })),
  );
  if (articles.length === 0) return result;
  const changed: { shipment_id: string; inserted: boolean }[] = await manager.query(
    UPSERT_ARTICLES,
    [
      articles.map((a) => a.shipmentId),
      articles.map((a) => a.sku),
      articles.map((a) => a.name),
      articles.map((a) => a.quantity),
      articles.map((a) => a.price),
    ],
  );
  for (const row of changed) {
    if (row.inserted) result.articlesCreated++;
    else result.articlesUpdated++;
  }
  result.articlesUnchanged = articles.length - changed.length;
  if (changed.length > 0) {
    await manager.query(TOUCH_SHIPMENTS, [[...new Set(changed.map((row) => row.shipment_id))]]);
  }
  return result;
}

/** Records the status of each created or changed shipment where it differs from its history's latest. */
async function appendStatusEvents(
  manager: EntityManager,
  shipments: ShipmentInput[],
  ids: string[],
  outcomes: ShipmentOutcome[],
): Promise<number> {
  const written = outcomes.flatMap((outcome, index) => (outcome === 'unchanged' ? [] : [index]));
  if (written.length === 0) return 0;
  const appended: unknown[] = await manager.query(APPEND_STATUS_EVENTS, [
    written.map((index) => ids[index]),
    written.map((index) => shipments[index].statusTime ?? null),
  ]);
  return appended.length;
}
