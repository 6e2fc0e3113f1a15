// The OpenAPI package's public face: served documents, the schema lookup, and request decoding checks.
export { openapiDocuments } from './served';
export type { OpenAPIDocuments, OpenAPIOptions, OpenAPIRequest, OpenAPIResponse, ServedDocument } from './served';
export { schemaLookup, schemaLookupFrom } from './schema-lookup';
export { checkAgainstSchema, strictDecodingMessage, unknownFieldMessage } from './schema-check';
export type { CheckOptions, SchemaCheck } from './schema-check';
export { pruneUnknownFields } from './prune';
