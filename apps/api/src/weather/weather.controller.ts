import { LocationWeatherService, resolveCountry } from '@app/shipments';
import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../common/api-problem.decorator';
import { ProblemException } from '../common/problem';
import { PROBLEMS } from '../common/problem-types';
import { CACHE_PUBLIC, WithEntityTag } from '../http/entity-tags';
import { ApiPublicEdge, LIMITED_RESPONSE_HEADERS } from '../rate-limit/api-rate-limited.decorator';
import { PublicRateLimitGuard } from '../rate-limit/rate-limit.guard';
import { toWeatherReportDto, WeatherReportDto } from './dto/weather-report.dto';
import { WeatherQueryDto } from './dto/weather-query.dto';

@ApiTags('weather')
@ApiProblem('Unexpected server error (logged; the detail is generic).', [PROBLEMS.internal])
@Controller('api/v1/weather')
export class WeatherController {
  constructor(private readonly locationWeather: LocationWeatherService) {}

  @Get()
  @UseGuards(PublicRateLimitGuard)
  @WithEntityTag()
  @ApiOperation({
    operationId: 'getWeather',
    summary: 'Current weather at a postcode',
    description:
      'Cached per location for WEATHER_CACHE_TTL_SECONDS; a stale reading is served while the provider fails.',
  })
  @ApiOkResponse({
    type: WeatherReportDto,
    description:
      'The reading: fresh, or the last good one marked `stale` while the provider fails ' +
      '(`Cache-Control: public, max-age=60`, with an `ETag`).',
    headers: LIMITED_RESPONSE_HEADERS,
  })
  @ApiPublicEdge()
  @ApiProblem('Missing or malformed zip or country.', [PROBLEMS.validation])
  @ApiProblem('The provider does not know this postcode.', [PROBLEMS.postcodeNotFound])
  @ApiProblem(
    'No reading, the database is away, or this instance is shutting down (see Retry-After).',
    [PROBLEMS.weatherUnavailable, PROBLEMS.databaseUnavailable, PROBLEMS.shuttingDown],
  )
  async current(
    @Query() query: WeatherQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WeatherReportDto> {
    const countryCode = resolveCountry(query.country)?.code ?? query.country.toUpperCase();
    const outcome = await this.locationWeather.forPostcode(query.zip.trim(), countryCode);
    if (outcome.report) {
      void reply.header('cache-control', CACHE_PUBLIC);
      return toWeatherReportDto(outcome.report);
    }
    const reason = outcome.error ?? 'no reading available';
    throw new ProblemException(
      outcome.failure === 'not_found' ? PROBLEMS.postcodeNotFound : PROBLEMS.weatherUnavailable,
      reason,
    );
  }
}
