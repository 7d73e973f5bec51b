import { ShipmentsService } from '@app/shipments';
import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
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
  async list(@Query() query: ListShipmentsQueryDto): Promise<ShipmentPageDto> {
    const { items, total } = await this.shipments.list({
      carrier: query.carrier,
      status: query.status,
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return toShipmentPage(items, total, query.page, query.limit);
  }

  @Get(':carrier/:trackingNumber')
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
    description: 'The public view, or the full view with the right zip or an operator key.',
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
  @ApiProblem('A path parameter is over 1,000 characters.', [PROBLEMS.uriTooLong])
  async lookup(
    @Param() params: ShipmentParamsDto,
    @Query() query: LookupQueryDto,
    @Headers(API_KEY_HEADER) apiKey: string | undefined,
  ): Promise<ShipmentResponseDto> {
    const operator = operatorAccess(this.apiKeys, apiKey);
    const found = await this.shipments.lookup(params.carrier, params.trackingNumber, {
      operator,
      zip: query.zip,
    });
    return toShipmentResponse(found);
  }
}
