import { CSV_HEADER, useImportBed } from '../support/import-bed';

const ADDRESSES = '"Street 1, 10115 Berlin, Germany","Street 10, 75001 Paris, France"';

/** The status history, built by imports: what is appended, when, and what is not. */
describe('Status history', () => {
  const bed = useImportBed();
  let files = 0;

  /** Imports rows of TN1 (and others), with a status_time column when `times` are given. */
  const importRows = async (
    rows: { tn?: string; status: string; time?: string; price?: string; sku?: string }[],
  ) => {
    const withTime = rows.some((row) => row.time !== undefined);
    const lines = rows.map(
      ({ tn = 'TN1', status, time, price = '800', sku = 'LP1' }) =>
        `${tn},DHL,${ADDRESSES},Laptop,1,${price},${sku},${status}${withTime ? `,${time ?? ''}` : ''}`,
    );
    const header = CSV_HEADER + (withTime ? ',status_time' : '');
    return bed.importer.import(await bed.csv(`import-${++files}.csv`, lines, header));
  };
  const lookup = async (trackingNumber = 'TN1') =>
    (await bed.shipments.findByCarrierAndTrackingNumber('DHL', trackingNumber))!;
  const eventCount = async (): Promise<number> =>
    Number((await bed.dataSource.query('SELECT count(*) AS n FROM shipment_events'))[0].n);

  it('records the first status of a new shipment at the time of the import', async () => {
    const before = Date.now();
    const report = await importRows([{ status: 'label created' }]);
    const after = Date.now();
    expect(report.statusEvents).toBe(1);
    const shipment = await lookup();
    expect(shipment.events).toEqual([
      { status: 'info_received', carrierStatus: 'label created', at: expect.any(Date) },
    ]);
    const at = shipment.events[0].at.getTime();
    // now() of the import's transaction, on the same machine's clock (PostgreSQL keeps microseconds).
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(after + 1);
    expect(shipment.statusSince).toEqual(shipment.events[0].at);
  });

  it('adds nothing when the same file is imported again, nor for other changes than the status', async () => {
    await importRows([{ status: 'in-transit' }]);
    const first = await lookup();
    expect((await importRows([{ status: 'in-transit' }])).statusEvents).toBe(0);
    // An article's price changes the shipment, not its status.
    const priced = await importRows([{ status: 'in-transit', price: '750' }]);
    expect(priced).toMatchObject({ articlesUpdated: 1, statusEvents: 0 });
    // The same status with a different time is the same status: history is not rewritten.
    const timed = await importRows([{ status: 'in-transit', time: '2026-11-01T10:00:00Z' }]);
    expect(timed.statusEvents).toBe(0);
    expect(await eventCount()).toBe(1);
    expect((await lookup()).events).toEqual(first.events);
  });

  it('appends each changed status, newest first, with the file’s status_time', async () => {
    await importRows([{ status: 'label created', time: '2026-11-28T08:00:00Z' }]);
    await importRows([{ status: 'in-transit', time: '2026-11-29T09:30:00+01:00' }]);
    // Another carrier status with the same canonical status is a new step too (a hub scan).
    await importRows([{ status: 'arrived at facility', time: '2026-11-30T06:15:00Z' }]);
    const report = await importRows([{ status: 'delivered', time: '2026-11-30T14:05:00Z' }]);
    expect(report).toMatchObject({ shipmentsUpdated: 1, statusEvents: 1 });

    const shipment = await lookup();
    expect(shipment.status).toBe('delivered');
    expect(shipment.events).toEqual([
      { status: 'delivered', carrierStatus: 'delivered', at: new Date('2026-11-30T14:05:00Z') },
      {
        status: 'in_transit',
        carrierStatus: 'arrived at facility',
        at: new Date('2026-11-30T06:15:00Z'),
      },
      { status: 'in_transit', carrierStatus: 'in-transit', at: new Date('2026-11-29T08:30:00Z') },
      {
        status: 'info_received',
        carrierStatus: 'label created',
        at: new Date('2026-11-28T08:00:00Z'),
      },
    ]);
    expect(shipment.statusSince).toEqual(new Date('2026-11-30T14:05:00Z'));
  });

  it('keeps the order the statuses came in when a file’s time is earlier than an earlier import', async () => {
    // Imported first without a time (now), then the carrier's own, earlier, time of the next status.
    await importRows([{ status: 'in-transit' }]);
    await importRows([{ status: 'out for delivery', time: '2026-11-01T06:55:00Z' }]);
    const shipment = await lookup();
    expect(shipment.events.map((event) => event.status)).toEqual([
      'out_for_delivery',
      'in_transit',
    ]);
    expect(shipment.statusSince).toEqual(new Date('2026-11-01T06:55:00Z'));
  });

  it('records a status that comes back (a failed attempt, then out for delivery again)', async () => {
    for (const status of ['out for delivery', 'failed attempt', 'out for delivery'])
      await importRows([{ status }]);
    expect((await lookup()).events.map((event) => event.carrierStatus)).toEqual([
      'out for delivery',
      'failed attempt',
      'out for delivery',
    ]);
  });

  it('takes the last row’s status_time when the rows of a shipment disagree, and says so', async () => {
    const report = await importRows([
      { status: 'in-transit', time: '2026-11-29T10:00:00Z', sku: 'A' },
      { status: 'in-transit', time: '2026-11-29T11:00:00Z', sku: 'B' },
    ]);
    expect(report.warnings).toEqual([
      {
        line: 3,
        message: expect.stringMatching(
          /disagrees with the status_time of line 2; the last row wins/,
        ),
      },
    ]);
    expect((await lookup()).statusSince).toEqual(new Date('2026-11-29T11:00:00Z'));
  });

  it('refuses a row whose status_time is not a time, naming line and value, and keeps the rest', async () => {
    const report = await importRows([
      { tn: 'TN1', status: 'in-transit', time: '29.11.2026 10:00' },
      { tn: 'TN2', status: 'in-transit', time: '' },
    ]);
    expect(report.errors).toEqual([
      {
        line: 2,
        message:
          'status_time is not an ISO 8601 date-time (e.g. 2026-11-30T14:05:00Z or 2026-11-30T15:05:00+01:00) (got "29.11.2026 10:00")',
      },
    ]);
    expect(report).toMatchObject({ shipmentsCreated: 1, statusEvents: 1 });
    expect(await bed.shipments.findByCarrierAndTrackingNumber('DHL', 'TN1')).toBeNull();
  });

  it('reads a status_time without a zone as UTC, and says so once for the file', async () => {
    const report = await importRows([
      { tn: 'TN1', status: 'in-transit', time: '2026-11-29 10:00' },
      { tn: 'TN2', status: 'in-transit', time: '2026-11-29' },
    ]);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([
      {
        line: 2,
        message:
          'status_time "2026-11-29 10:00" names no time zone, so it (and every such time in this file) is read as UTC; add Z or an offset such as +01:00',
      },
    ]);
    expect((await lookup('TN1')).statusSince).toEqual(new Date('2026-11-29T10:00:00Z'));
    expect((await lookup('TN2')).statusSince).toEqual(new Date('2026-11-29T00:00:00Z'));
  });

  it('keeps the history of a shipment that continues after other shipments in one file', async () => {
    const report = await importRows([
      { tn: 'TN1', status: 'in-transit', sku: 'A' },
      { tn: 'TN2', status: 'in-transit' },
      { tn: 'TN1', status: 'in-transit', sku: 'B' },
    ]);
    expect(report.statusEvents).toBe(2);
    expect(await eventCount()).toBe(2);
  });

  it('lists only shipments changed since a time', async () => {
    await importRows([
      { tn: 'TN1', status: 'in-transit' },
      { tn: 'TN2', status: 'in-transit' },
    ]);
    await bed.dataSource.query(
      `UPDATE shipments SET updated_at = '2026-11-01T00:00:00Z' WHERE tracking_number = 'TN1'`,
    );
    const page = (updatedSince?: Date) =>
      bed.shipments.list({ updatedSince, offset: 0, limit: 10 });
    expect(
      (await page(new Date('2026-11-15T00:00:00Z'))).items.map((s) => s.trackingNumber),
    ).toEqual(['TN2']);
    expect((await page(new Date('2026-11-01T00:00:00Z'))).total).toBe(2);
    expect((await page()).items[0].statusSince).toEqual(expect.any(Date));
  });

  it('gives shipments imported before the history one event each, at their last change', async () => {
    await importRows([{ status: 'in-transit' }]);
    await bed.dataSource.query(`UPDATE shipments SET updated_at = '2026-11-20T12:00:00Z'`);
    // As before the migration: no events table, then the migration runs.
    await bed.dataSource.undoLastMigration();
    await bed.dataSource.runMigrations();
    expect((await lookup()).events).toEqual([
      { status: 'in_transit', carrierStatus: 'in-transit', at: new Date('2026-11-20T12:00:00Z') },
    ]);
  });
});
