import {
  ShipmentLookup,
  ShipmentsService,
  ZipAttemptsExceededError,
  ZipMismatchError,
} from '@app/shipments';
import { Injectable } from '@nestjs/common';
import { lookupKeyProblems, optionalTextProblems, ZIP_MAX_LENGTH } from '../common/validation';
import { MESSAGES, type FormField } from './messages';
import { receiverTimeZone } from './page-time';
import { FormValues, PageContext, shipmentPage, ZipNotice } from './views/pages';

/** A rendered page and how to answer it. */
export interface RenderedPage {
  status: number;
  html: string;
  retryAfterSeconds?: number;
}

const zipProblems = optionalTextProblems(ZIP_MAX_LENGTH);

/**
 * The receivers' tracking page over the same lookup as the JSON API: the same privacy gate
 * (street lines and postcodes only with the receiver's postcode), the same zip lock-out. A wrong
 * or locked-out postcode still shows the public view, with a message, and the JSON's status.
 */
@Injectable()
export class TrackPageService {
  constructor(private readonly shipments: ShipmentsService) {}

  /** @throws ShipmentNotFoundError, DatabaseUnavailableError (the filter makes them pages) */
  async shipment(
    context: PageContext,
    key: { carrier: string; trackingNumber: string },
    { zip, client }: { zip?: string; client: string },
  ): Promise<RenderedPage> {
    let notice: ZipNotice = null;
    let status = 200;
    let retryAfterSeconds: number | undefined;
    let lookup: ShipmentLookup;
    try {
      lookup = await this.shipments.lookup(key.carrier, key.trackingNumber, {
        operator: false,
        zip,
        client,
      });
      if (zip !== undefined) notice = 'revealed';
    } catch (error) {
      if (error instanceof ZipMismatchError) {
        [notice, status] = ['mismatch', 403];
      } else if (error instanceof ZipAttemptsExceededError) {
        notice = { lockedForSeconds: error.retryAfterSeconds };
        [status, retryAfterSeconds] = [429, error.retryAfterSeconds];
      } else {
        throw error;
      }
      lookup = await this.shipments.lookup(key.carrier, key.trackingNumber, {
        operator: false,
        client,
      });
    }
    const timeZone = receiverTimeZone(lookup.shipment.receiver.countryCode);
    return {
      status,
      html: shipmentPage(context, { lookup, notice, timeZone }),
      retryAfterSeconds,
    };
  }
}

/**
 * What is wrong with the form's (or the URL's) carrier, tracking number and postcode, in the
 * page's language; the rules are the JSON lookup's.
 */
export function formErrors(
  context: PageContext,
  values: FormValues,
): Partial<Record<FormField, string>> {
  const t = MESSAGES[context.language].form;
  const errors: Partial<Record<FormField, string>> = {};
  for (const field of ['carrier', 'trackingNumber'] as const) {
    const value = values[field];
    if (value === undefined || value.trim() === '') errors[field] = t.required(field);
    else if (lookupKeyProblems(field, value).length > 0) errors[field] = t.invalid(field);
  }
  if (zipProblems('zip', values.zip).length > 0) errors.zip = t.invalid('zip');
  return errors;
}

/** A query or path value as text: repeated parameters and blanks count as not given. */
export function textValue(value: unknown): string | undefined {
  const text: unknown = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof text === 'string' && text.trim() !== '' ? text : undefined;
}
