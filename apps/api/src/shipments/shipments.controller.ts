import { ShipmentsService } from '@app/shipments';
import { Controller, Get, Headers, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ApiKeysService } from '../auth/api-keys.service';
import {
  API_KEY_HEADER,
  API_KEY_SECURITY,
  OperatorGuard,
  operatorAccess,
} from '../auth/operator.guard';
import { ApiProblem } from '../common/api-problem.decorator';
import { PROBLEMS } from '../common/problem-types';
import { CACHE_PRIVATE, CACHE_PUBLIC, varyAlsoOn, WithEntityTag } from '../http/entity-tags';
import { ApiPublicEdge, LIMITED_RESPONSE_HEADERS } from '../rate-limit/api-rate-limited.decorator';
import { PublicRateLimitGuard } from '../rate-limit/rate-limit.guard';
import { ListShipmentsQueryDto } from './dto/list-shipments-query.dto';
import { LookupQueryDto } from './dto/lookup-query.dto';
import { ShipmentParamsDto } from './dto/shipment-params.dto';
import {
  ApiShipmentViews,
  FullShipmentResponseDto,
  PublicShipmentResponseDto,
  ShipmentPageDto,
  ShipmentResponseDto,
} from './dto/shipment-response.dto';
import { toShipmentPage, toShipmentResponse } from './dto/shipment-response.mappers';

@ApiTags('shipments')
@ApiProblem('Unexpected server error (logged; the detail is generic).', [PROBLEMS.internal])
@ApiProblem('PostgreSQL is not answering; ask again after Retry-After seconds.', [
  PROBLEMS.databaseUnavailable,
  PROBLEMS.shuttingDown,
])
@Controller('api/v1/shipments')
export class ShipmentsController {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get()
  @UseGuards(OperatorGuard)
  @ApiSecurity(API_KEY_SECURITY)
  @ApiOperation({
    operationId: 'listShipments',
    summary: 'List shipments (operators only)',
    description: 'Paged, with full addresses; needs an X-API-Key from API_KEYS.',
  })
  @ApiOkResponse({ type: ShipmentPageDto, description: 'One page of shipments, full view.' })
  @ApiProblem('Invalid filter or paging parameter.', [PROBLEMS.validation])
  @ApiProblem('No valid X-API-Key, or operator access disabled (API_KEYS unset).', [
    PROBLEMS.unauthorized,
  ])
  async list(
    @Query() query: ListShipmentsQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentPageDto> {
    void reply.header('cache-control', CACHE_PRIVATE);
    const { items, total } = await this.shipments.list({
      carrier: query.carrier,
      status: query.status,
      updatedSince: query.updatedSince,
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return toShipmentPage(items, total, query.page, query.limit);
  }

  @Get(':carrier/:trackingNumber')
  @UseGuards(PublicRateLimitGuard)
  @WithEntityTag()
  @ApiOperation({
    operationId: 'lookupShipment',
    summary: 'Look up a shipment',
    description:
      'Public, like a carrier tracking page. Two views: without `zip` the **public view** ' +
      '(`PublicShipmentResponseDto`): city, country and country code of sender and receiver, no ' +
      "postcode, no street line. With `?zip=` equal to the receiver's postcode, or an operator " +
      'X-API-Key, the **full view** (`FullShipmentResponseDto`): postcodes and street lines too.',
  })
  @ApiShipmentViews()
  // Optional: anyone may look up; an operator key (Authorize in Swagger UI) shows the full view.
  @ApiSecurity({})
  @ApiSecurity(API_KEY_SECURITY)
  @ApiOkResponse({
    description:
      'The public view (`Cache-Control: public, max-age=60`), or the full view with the right ' +
      'zip or an operator key (`private, no-store`). Always with an `ETag`.',
    headers: LIMITED_RESPONSE_HEADERS,
    schema: {
      oneOf: [
        { $ref: getSchemaPath(PublicShipmentResponseDto) },
        { $ref: getSchemaPath(FullShipmentResponseDto) },
      ],
    },
  })
  @ApiProblem(
    'Malformed carrier, tracking number or zip (over 64 characters, control characters).',
    [PROBLEMS.validation],
  )
  @ApiProblem('An X-API-Key was sent but is not valid.', [PROBLEMS.unauthorized])
  @ApiProblem("The zip is not the receiver's postcode.", [PROBLEMS.zipMismatch])
  @ApiProblem('No shipment with this carrier and tracking number.', [PROBLEMS.shipmentNotFound])
  @ApiProblem('The URL is over 2,048 characters, or a path parameter over 1,000.', [
    PROBLEMS.uriTooLong,
  ])
  @ApiPublicEdge([PROBLEMS.rateLimited, PROBLEMS.zipAttempts])
  async lookup(
    @Param() params: ShipmentParamsDto,
    @Query() query: LookupQueryDto,
    @Headers(API_KEY_HEADER) apiKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ShipmentResponseDto> {
    const operator = operatorAccess(this.apiKeys, apiKey);
    const found = await this.shipments.lookup(params.carrier, params.trackingNumber, {
      operator,
      zip: query.zip,
      client: request.ip,
    });
    // Shared caches may keep the public view (the same for everyone); never a full one. A key or
    // a zip either reveals the addresses or never gets here (401, 403, 429).
    void reply.headers({
      'cache-control': found.revealAddresses ? CACHE_PRIVATE : CACHE_PUBLIC,
      // The answer depends on the key too.
      vary: varyAlsoOn(reply, 'X-API-Key'),
    });
    return toShipmentResponse(found);
  }
}
