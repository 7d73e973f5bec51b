import {
  Controller,
  Get,
  Headers,
  Param,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PublicRateLimitGuard } from '../rate-limit/rate-limit.guard';
import { pageLanguage } from './language';
import { sendPage } from './send-page';
import { TrackPageFilter } from './track-page.filter';
import { formErrors, TrackPageService, textValue } from './track-page.service';
import { FormValues, formPage, shipmentPath, PageContext } from './views/pages';
import { ICON_SVG, TRACK_CSS } from './views/styles';

/** Assets change with a release only; a day is short enough for that, long enough for visits. */
const ASSET_CACHE = 'public, max-age=86400';

type PageQuery = Record<string, unknown>;

/**
 * The receivers' tracking pages: server-rendered HTML, no script. Thin: the language from the
 * request, the page from TrackPageService or the views, errors as pages (TrackPageFilter).
 */
@ApiExcludeController()
@UseFilters(new TrackPageFilter())
@Controller('track')
export class TrackController {
  constructor(private readonly pages: TrackPageService) {}

  /** The form; submitted (it sends GET /track?carrier=…), on to the shipment's own URL. */
  @Get()
  form(
    @Query() query: PageQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const context = pageLanguage(query.lang, acceptLanguage);
    const values = {
      carrier: textValue(query.carrier),
      trackingNumber: textValue(query.trackingNumber),
      zip: textValue(query.zip),
    };
    const submitted = 'carrier' in query || 'trackingNumber' in query;
    if (!submitted) {
      sendPage(reply, context, { status: 200, html: formPage(context), cache: 'public' });
      return;
    }
    if (this.refusedForm(reply, context, values)) return;
    const target = shipmentPath(
      values.carrier!.trim(),
      values.trackingNumber!.trim(),
      context,
      values.zip?.trim(),
    );
    void reply.status(303).header('cache-control', 'no-store').redirect(target);
  }

  /** Answers 400 with the form and what to fix when a value breaks the lookup's rules. */
  private refusedForm(reply: FastifyReply, context: PageContext, values: FormValues): boolean {
    const errors = formErrors(context, values);
    if (Object.keys(errors).length === 0) return false;
    const html = formPage(context, { values, errors });
    sendPage(reply, context, { status: 400, html, cache: 'no-store' });
    return true;
  }

  @Get('assets/track.css')
  stylesheet(@Res() reply: FastifyReply): void {
    void reply
      .headers({ 'content-type': 'text/css; charset=utf-8', 'cache-control': ASSET_CACHE })
      .send(TRACK_CSS);
  }

  @Get('assets/icon.svg')
  icon(@Res() reply: FastifyReply): void {
    void reply
      .headers({ 'content-type': 'image/svg+xml', 'cache-control': ASSET_CACHE })
      .send(ICON_SVG);
  }

  /** A carrier alone (a URL cut short): the form, with the carrier filled in. */
  @Get(':carrier')
  carrierOnly(
    @Param('carrier') carrier: string,
    @Query() query: PageQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const context = pageLanguage(query.lang, acceptLanguage);
    const html = formPage(context, { values: { carrier } });
    sendPage(reply, context, { status: 200, html, cache: 'no-store' });
  }

  /** The shipment: public view, or the full one with `?zip=` the receiver's postcode. */
  @Get(':carrier/:trackingNumber')
  @UseGuards(PublicRateLimitGuard)
  async shipment(
    @Param('carrier') carrier: string,
    @Param('trackingNumber') trackingNumber: string,
    @Query() query: PageQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const context: PageContext = pageLanguage(query.lang, acceptLanguage);
    // A blank postcode field is no postcode (the JSON lookup would call it a wrong one).
    const values = { carrier, trackingNumber, zip: textValue(query.zip) };
    if (this.refusedForm(reply, context, values)) return;
    const page = await this.pages.shipment(context, values, {
      zip: values.zip,
      client: request.ip,
    });
    const headers: Record<string, string> = {};
    if (page.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(page.retryAfterSeconds);
    // Shared caches may keep the public view; never one with a postcode tried or shown.
    const cache = page.status === 200 && values.zip === undefined ? 'public' : 'no-store';
    sendPage(reply, context, { status: page.status, html: page.html, cache, headers });
  }
}
