// OpenAPI documents generated from the compact schema and the registry (no upstream text).
export { buildOpenApiV3, openApiV3Document, type OpenApiV3Discovery, type OpenApiV3Documents } from './v3.js';
export { buildOpenApiV2, servedOpenApiV2 } from './v2.js';
export { pathGroups, groupVersionPaths, groupName, type Operation, type PathItem, type PathGroup, type Action, type Method } from './operations.js';
export { reachableTypes, typeSchema, fieldSchema, type Flavor } from './schemas.js';
export type { Param } from './parameters.js';
