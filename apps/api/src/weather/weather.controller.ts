import { LocationWeatherService, resolveCountry } from '@app/shipments';
import {
  Controller,
  Get,
  NotFoundException,
  Query,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../common/api-problem.decorator';
import { toWeatherReportDto, WeatherReportDto } from './dto/weather-report.dto';
import { WeatherQueryDto } from './dto/weather-query.dto';

@ApiTags('weather')
@ApiProblem(500, 'Unexpected server error (logged; the detail is generic).')
@Controller('v1/weather')
export class WeatherController {
  constructor(private readonly locationWeather: LocationWeatherService) {}

  @Get()
  @ApiOperation({
    summary: 'Current weather at a postcode',
    description:
      'Cached per location for WEATHER_CACHE_TTL_SECONDS; a stale reading is served while the provider fails.',
  })
  @ApiOkResponse({ type: WeatherReportDto })
  @ApiProblem(400, 'Missing or malformed zip or country.')
  @ApiProblem(404, 'The provider does not know this postcode.')
  @ApiProblem(503, 'No reading: the provider is failing, timed out, or the call budget is used up.')
  async current(@Query() query: WeatherQueryDto): Promise<WeatherReportDto> {
    const countryCode = resolveCountry(query.country)?.code ?? query.country.toUpperCase();
    const outcome = await this.locationWeather.forPostcode(query.zip.trim(), countryCode);
    if (outcome.report) return toWeatherReportDto(outcome.report);
    const reason = outcome.error ?? 'no reading available';
    throw outcome.failure === 'not_found'
      ? new NotFoundException(reason)
      : new ServiceUnavailableException(reason);
  }
}
