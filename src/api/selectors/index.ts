// Label and field selectors: parsing (`?labelSelector=`, `?fieldSelector=`), spec LabelSelectors,
// matching, and the printers' string forms.
export { SelectorError } from './errors.js';
export {
  LabelSelector,
  parseLabelSelector,
  fromLabelSelector,
  labelSelectorToString,
  selectorString,
  formatLabelSelector,
  formatLabels,
  type Labels,
  type LabelSelectorSpec,
  type Operator,
  type Requirement,
} from './label-selector.js';
export {
  FieldSelector,
  parseFieldSelector,
  escapeFieldValue,
  unescapeFieldValue,
  type FieldOperator,
  type FieldRequirement,
  type Fields,
} from './field-selector.js';
