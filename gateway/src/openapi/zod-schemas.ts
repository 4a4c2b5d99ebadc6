import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiQuery, ApiResponse, type ReferenceObject, type SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * Request and response bodies are zod schemas; the OpenAPI document shows them as named
 * components converted by `z.toJSONSchema`. Its JSON Schema 2020-12 is the schema dialect of
 * OpenAPI 3.1, so nothing is translated by hand.
 */
type Direction = 'input' | 'output';

const components = new Map<string, { schema: z.ZodType; io: Direction }>();

/** Registers a schema as a component and refers to it. Requests are read as input (defaults optional). */
export function zodSchemaRef(name: string, schema: z.ZodType, io: Direction): ReferenceObject {
  const known = components.get(name);
  if (known && (known.schema !== schema || known.io !== io))
    throw new Error(`two different schemas are both named ${name} in the OpenAPI document`);
  components.set(name, { schema, io });
  return { $ref: `#/components/schemas/${name}` };
}

/** The JSON body of a request, validated at run time by the same schema through ZodBody. */
export const ApiZodBody = (name: string, schema: z.ZodType, description?: string): MethodDecorator =>
  ApiBody({ required: true, description, schema: zodSchemaRef(name, schema, 'input') });

/** A successful JSON answer. */
export const ApiZodResponse = (status: number, name: string, schema: z.ZodType, description: string): MethodDecorator =>
  ApiResponse({ status, description, schema: zodSchemaRef(name, schema, 'output') });

/**
 * Query parameters from a zod object, one parameter per field, described as sent (strings;
 * comma-separated lists), that is, as the schema's input.
 */
export const ApiZodQuery = (schema: z.ZodObject): MethodDecorator =>
  applyDecorators(
    ...Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
      const { $schema: _dialect, ...fieldSchema } = z.toJSONSchema(field, { io: 'input', target: 'draft-2020-12' });
      return ApiQuery({
        name,
        // Optional or defaulted: the field may be left out.
        required: !field.safeParse(undefined).success,
        description: field.description,
        // JSON Schema 2020-12 (OpenAPI 3.1's dialect); @nestjs/swagger's types only describe 3.0's subset of it.
        schema: fieldSchema as SchemaObject,
      });
    }),
  );

/** Every registered schema as JSON Schema 2020-12, by component name. */
export function zodComponentSchemas(): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...components].map(([name, { schema, io }]) => {
      const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' });
      return [name, jsonSchema];
    }),
  );
}
