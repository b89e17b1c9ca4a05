// Field selector support per kind: which labels a request may use, and the attributes an object
// exposes for matching.
export { fieldAttributes, supportedFields, convertFieldLabel, checkFieldSelector, type KObject } from './selectable-fields.js';
