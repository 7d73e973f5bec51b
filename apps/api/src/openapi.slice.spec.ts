import { useApiSlice } from '../../../test/support/api-slice';

/** What a typed client and a response validator need from /api/docs-json. */
describe('The OpenAPI document (slice)', () => {
  const { http } = useApiSlice();

  it('documents what a typed client and a response validator need (OpenAPI 3.1)', async () => {
    const doc = (await http().get('/api/docs-json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.tags.map((tag: { name: string }) => tag.name)).toEqual([
      'shipments',
      'weather',
      'health',
    ]);
    expect(doc.servers).toEqual([{ url: '/', description: 'This server' }]);
    type Response = { description: string; content: Record<string, { examples: object }> };
    type Operation = { operationId: string; responses: Record<string, Response> };
    const operations = Object.values(
      doc.paths as Record<string, Record<string, Operation>>,
    ).flatMap((item) => Object.values(item));
    expect(operations.map((operation) => operation.operationId).sort()).toEqual([
      'getLiveness',
      'getReadiness',
      'getWeather',
      'listShipments',
      'lookupShipment',
    ]);
    // Every error response: one example per problem type, with its real type and status.
    for (const operation of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description).toBeTruthy();
        if (Number(status) < 400) continue;
        const examples = Object.values(
          response.content['application/problem+json'].examples as Record<
            string,
            { value: { type: string; status: number } }
          >,
        );
        expect(examples.length).toBeGreaterThan(0);
        for (const { value } of examples) {
          expect(value.type).toMatch(/^urn:problem:[a-z-]+$/);
          expect(value.status).toBe(Number(status));
        }
      }
    }
    const lookup = doc.paths['/api/v1/shipments/{carrier}/{trackingNumber}'].get;
    // The operator key is the security scheme (Swagger UI's Authorize), optional here.
    expect(lookup.security).toEqual(expect.arrayContaining([{}, { 'api-key': [] }]));
    expect(lookup.parameters.map((parameter: { name: string }) => parameter.name)).not.toContain(
      'X-API-Key',
    );
    expect(lookup.responses['414']).toBeDefined();
    // "Try it out" fills no zip that would unlock the street lines.
    const zip = lookup.parameters.find((parameter: { name: string }) => parameter.name === 'zip');
    expect(zip.example ?? zip.schema.example ?? zip.schema.default).toBeUndefined();
    const schemas = doc.components.schemas;
    expect(schemas.PublicShipmentResponseDto.properties.weather.oneOf).toEqual([
      { $ref: '#/components/schemas/PublicWeatherReportDto' },
      { type: 'null' },
    ]);
    expect(schemas.ShipmentDto.properties.updatedAt.format).toBe('date-time');
    expect(schemas.ArticleDto.properties.quantity.type).toBe('integer');
    const limit = doc.paths['/api/v1/shipments'].get.parameters.find(
      (parameter: { name: string }) => parameter.name === 'limit',
    );
    expect(limit.schema.maximum).toBeUndefined(); // above 100 is capped, not refused
  });

  it('documents every error response as problem details in the OpenAPI document', async () => {
    const doc = (await http().get('/api/docs-json').expect(200)).body;
    expect(doc.openapi).toMatch(/^3\./);
    const lookup = doc.paths['/api/v1/shipments/{carrier}/{trackingNumber}'].get;
    for (const status of ['400', '401', '403', '404', '500']) {
      expect(lookup.responses[status].content['application/problem+json'].schema.$ref).toBe(
        '#/components/schemas/ProblemDetailsDto',
      );
    }
    const list = doc.paths['/api/v1/shipments'].get;
    expect(Object.keys(list.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '500']),
    );
    // One status enum, referenced wherever a status appears.
    expect(doc.components.schemas.CanonicalStatus.enum).toContain('out_for_delivery');
    expect(doc.components.schemas.PublicShipmentResponseDto.properties.status.allOf).toEqual([
      { $ref: '#/components/schemas/CanonicalStatus' },
    ]);
    // Two documented views: the public one has no postcode or street line anywhere.
    const publicView = doc.components.schemas.PublicShipmentResponseDto;
    const publicLocation = doc.components.schemas.PublicLocationDto;
    expect(Object.keys(publicLocation.properties).sort()).toEqual([
      'city',
      'country',
      'countryCode',
    ]);
    expect(publicView.properties.sender.$ref ?? publicView.properties.sender.allOf?.[0].$ref).toBe(
      '#/components/schemas/PublicLocationDto',
    );
    expect(Object.keys(doc.components.schemas.PublicWeatherLocationDto.properties)).toEqual([
      'countryCode',
      'locatedBy',
    ]);
    expect(doc.components.schemas.FullLocationDto.properties).toHaveProperty('address');
    expect(doc.components.schemas.FullLocationDto.properties).toHaveProperty('zip');
    expect(lookup.responses['200'].content['application/json'].schema.oneOf).toEqual([
      { $ref: '#/components/schemas/PublicShipmentResponseDto' },
      { $ref: '#/components/schemas/FullShipmentResponseDto' },
    ]);
    expect(
      lookup.parameters.find((p: { name: string }) => p.name === 'zip').example,
    ).toBeUndefined();
    expect(doc.components.securitySchemes['api-key']).toMatchObject({
      type: 'apiKey',
      in: 'header',
    });
    await http().get('/api/docs').expect(200).expect('content-type', /html/);
  });
});
