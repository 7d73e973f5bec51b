import { ShipmentsService } from '@app/shipments';
import { Controller, Get, Headers, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ApiKeysService } from '../auth/api-keys.service';
import {
  API_KEY_HEADER,
  API_KEY_SECURITY,
  OperatorGuard,
  operatorAccess,
} from '../auth/operator.guard';
import { ApiProblem } from '../common/api-problem.decorator';
import { ListShipmentsQueryDto } from './dto/list-shipments-query.dto';
import { LookupQueryDto } from './dto/lookup-query.dto';
import { ShipmentParamsDto } from './dto/shipment-params.dto';
import {
  ApiShipmentViews,
  FullShipmentResponseDto,
  PublicShipmentResponseDto,
  ShipmentPageDto,
  ShipmentResponseDto,
  toShipmentPage,
  toShipmentResponse,
} from './dto/shipment-response.dto';

@ApiTags('shipments')
@ApiProblem(500, 'Unexpected server error (logged; the detail is generic).')
@Controller('v1/shipments')
export class ShipmentsController {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get()
  @UseGuards(OperatorGuard)
  @ApiSecurity(API_KEY_SECURITY)
  @ApiOperation({
    summary: 'List shipments (operators only)',
    description: 'Paged, with full addresses; needs an X-API-Key from API_KEYS.',
  })
  @ApiOkResponse({ type: ShipmentPageDto })
  @ApiProblem(400, 'Invalid filter or paging parameter.')
  @ApiProblem(401, 'No valid X-API-Key, or operator access disabled (API_KEYS unset).')
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
    summary: 'Look up a shipment',
    description:
      'Public, like a carrier tracking page. Two views: without `zip` the **public view** ' +
      '(`PublicShipmentResponseDto`): city, country and country code of sender and receiver, no ' +
      "postcode, no street line. With `?zip=` equal to the receiver's postcode, or an operator " +
      'X-API-Key, the **full view** (`FullShipmentResponseDto`): postcodes and street lines too.',
  })
  @ApiShipmentViews()
  @ApiHeader({
    name: 'X-API-Key',
    required: false,
    description: 'Operator key: reveals the full addresses.',
  })
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
    400,
    'Malformed carrier, tracking number or zip (over 64 characters, control characters).',
  )
  @ApiProblem(401, 'An X-API-Key was sent but is not valid.')
  @ApiProblem(403, "The zip is not the receiver's postcode.")
  @ApiProblem(404, 'No shipment with this carrier and tracking number.')
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
