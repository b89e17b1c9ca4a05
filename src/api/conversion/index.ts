// Conversions between served versions that share one storage version, through a table keyed by
// kind and version pair. The input is never modified; lists (`…List` with items) convert item by
// item.
import { coreToEventsV1, eventsV1ToCore } from './event.js';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa.js';

export { coreToEventsV1, eventsV1ToCore } from './event.js';
export { hpaV1ToV2, hpaV2ToV1, METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION } from './hpa.js';

type Obj = Record<string, unknown>;
type Converter = (obj: Obj) => Obj;

const key = (kind: string, from: string, to: string): string => `${kind}|${from}|${to}`;

/** kind|fromApiVersion|toApiVersion → converter. */
const CONVERSIONS = new Map<string, Converter>([
  [key('HorizontalPodAutoscaler', 'autoscaling/v1', 'autoscaling/v2'), hpaV1ToV2],
  [key('HorizontalPodAutoscaler', 'autoscaling/v2', 'autoscaling/v1'), hpaV2ToV1],
  [key('Event', 'v1', 'events.k8s.io/v1'), coreToEventsV1],
  [key('Event', 'events.k8s.io/v1', 'v1'), eventsV1ToCore],
]);

export class ConversionError extends Error {}

/** Whether `kind` converts between these two apiVersions. */
export function canConvert(kind: string, fromApiVersion: string, toApiVersion: string): boolean {
  return fromApiVersion === toApiVersion || CONVERSIONS.has(key(kind, fromApiVersion, toApiVersion));
}

/**
 * `obj` (with apiVersion and kind) in `toApiVersion`. The same version returns `obj` itself;
 * a pair without a conversion throws ConversionError.
 */
export function convert(obj: object, toApiVersion: string): object {
  const o = obj as Obj;
  const from = String(o.apiVersion ?? '');
  const kind = String(o.kind ?? '');
  if (from === toApiVersion) return obj;
  if (kind.endsWith('List') && Array.isArray(o.items)) {
    const itemKind = kind.slice(0, -'List'.length);
    const items = o.items.map((item: Obj) => {
      const out = convert({ ...item, apiVersion: item.apiVersion ?? from, kind: item.kind ?? itemKind }, toApiVersion) as Obj;
      // items of built-in lists usually carry no apiVersion/kind; keep it that way
      if (item.apiVersion === undefined) delete out.apiVersion;
      if (item.kind === undefined) delete out.kind;
      return out;
    });
    return { ...o, apiVersion: toApiVersion, items };
  }
  const fn = CONVERSIONS.get(key(kind, from, toApiVersion));
  if (!fn) throw new ConversionError(`no conversion of ${kind} from ${from} to ${toApiVersion}`);
  return fn(structuredClone(o));
}
