// Request body codecs: JSON and YAML decoding with duplicate detection and Go's error texts,
// fieldValidation against the schema, quantities and times in upstream's canonical form.
export { decodeJson, type DecodeOptions, type DecodeResult } from './json-decode.js';
export { decodeYaml } from './yaml-decode.js';
export { checkAgainstSchema, type FieldValidation, type SchemaCheckOptions, type SchemaCheckResult } from './schema-check.js';
export { canonicalizeQuantities, canonicalizeTimes } from './canonicalize.js';
export { DecodeError, transformDecodeError, strictDecodingMessage, summarizeData, missingKindError, missingVersionError, type DecodeContext } from './decode-error.js';
export { formatTime, formatMicroTime, parseRFC3339, base64Error, GoValueError, type Instant } from './go-values.js';
export { SPECIAL_TYPES, typeInfo, type SpecialKind, type TypeInfo } from './type-info.js';
