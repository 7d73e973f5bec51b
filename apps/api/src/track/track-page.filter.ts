import { ShipmentNotFoundError } from '@app/shipments';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RETRY_AFTER_SECONDS } from '../common/problem';
import { ProblemDetailsDto } from '../common/problem-details.dto';
import { ProblemDetailsFilter } from '../common/problem-details.filter';
import { MESSAGES } from './messages';
import { pageLanguage } from './language';
import { sendPage } from './send-page';
import { formPage, messagePage, notFoundPage, PageContext } from './views/pages';

/**
 * The tracking pages' errors as pages in the visitor's language, with the status, Retry-After
 * and logging the JSON API has (ProblemDetailsFilter decides them): an unknown shipment is the
 * form again, too many requests or the database away say when to come back. Also answers for
 * paths under /track that no route has (the global filter hands them over).
 */
export class TrackPageFilter extends ProblemDetailsFilter {
  protected override send(
    reply: FastifyReply,
    problem: ProblemDetailsDto,
    headers: Record<string, string>,
    { request, exception }: { request: FastifyRequest; exception: unknown },
  ): void {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const context: PageContext = pageLanguage(query.lang, request.headers['accept-language']);
    const t = MESSAGES[context.language];
    // ProblemDetailsFilter sets it for every 503 and every refusal that says its wait.
    const retryAfter = Number(headers['retry-after'] ?? RETRY_AFTER_SECONDS);
    let html: string;
    if (exception instanceof ShipmentNotFoundError) {
      html = notFoundPage(context, {
        carrier: exception.carrier,
        trackingNumber: exception.trackingNumber,
      });
    } else if (problem.status === 429) {
      html = messagePage(
        context,
        t.problems.rateLimited.title,
        t.problems.rateLimited.text(retryAfter),
      );
    } else if (problem.status === 503) {
      html = messagePage(
        context,
        t.problems.unavailable.title,
        t.problems.unavailable.text(retryAfter),
      );
    } else if (problem.status === 404) {
      html = formPage(context, { heading: { title: t.notFound.page, text: t.form.intro } });
    } else if (problem.status < 500) {
      html = formPage(context, { heading: { title: t.form.title, text: t.problems.badRequest } });
    } else {
      html = messagePage(context, t.problems.internal.title, t.problems.internal.text);
    }
    sendPage(reply, context, { status: problem.status, html, cache: 'no-store', headers });
  }
}
