import { toJsonSchemaNulls } from './openapi';

describe(toJsonSchemaNulls.name, () => {
  it('turns 3.0 nullables into 3.1 types, refs into oneOf with null, anywhere in the tree', () => {
    expect(
      toJsonSchemaNulls({
        properties: {
          text: { type: 'string', nullable: true, example: null },
          kind: { type: 'string', enum: ['a', 'b'], nullable: true },
          ref: { $ref: '#/components/schemas/X', nullable: true },
          wrapped: {
            allOf: [{ $ref: '#/components/schemas/X' }],
            type: 'object',
            nullable: true,
            description: 'd',
          },
          plain: { type: 'integer' },
        },
      }),
    ).toEqual({
      properties: {
        text: { type: ['string', 'null'], example: null },
        kind: { type: ['string', 'null'], enum: ['a', 'b', null] },
        ref: { oneOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }] },
        wrapped: {
          oneOf: [{ $ref: '#/components/schemas/X' }, { type: 'null' }],
          description: 'd',
        },
        plain: { type: 'integer' },
      },
    });
  });
});
