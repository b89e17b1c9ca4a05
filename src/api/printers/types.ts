// What a server-side Table printer is: the column definitions kube-apiserver announces for a kind
// and a function from one object to its row of cells. The apiserver always prints "wide" (kubectl
// hides columns with priority > 0 unless asked for -o wide), so every row has a cell per column.
// Time is a parameter (`now`, epoch milliseconds) so rows are deterministic under test.

/** An object as JSON (apiVersion, kind, metadata, spec, status…). */
export type KObject = Record<string, any> & { metadata?: Record<string, any> };

/** meta.k8s.io/v1 TableColumnDefinition. */
export interface ColumnDefinition {
  name: string;
  /** OpenAPI type of the cells: string, integer, number, boolean, date. */
  type: string;
  /** OpenAPI format hint; "name" marks the column holding the object's name. */
  format: string;
  description: string;
  /** 0 = always shown; 1 = shown by kubectl only with -o wide. */
  priority: number;
}

/** meta.k8s.io/v1 TableRowCondition (e.g. a finished pod's Completed=True). */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TablePrinter {
  readonly columns: readonly ColumnDefinition[];
  /** The cells of one object's row, one per column, at time `now` (epoch ms). */
  row(obj: KObject, now: number): unknown[];
  /** Row conditions, where upstream sets some. */
  conditions?(obj: KObject): TableRowCondition[] | undefined;
}

/** A column; `priority: 1` for the -o wide ones. */
export function col(name: string, type: string, description: string, extra: { format?: string; priority?: number } = {}): ColumnDefinition {
  return { name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}

/** A -o wide column. */
export function wide(name: string, type: string, description: string): ColumnDefinition {
  return col(name, type, description, { priority: 1 });
}

export const NAME_COLUMN: ColumnDefinition = col('Name', 'string', 'Name of the object, unique within its namespace.', { format: 'name' });
export const AGE_COLUMN: ColumnDefinition = col('Age', 'string', 'Time since the object was created.');
export const CONTAINERS_COLUMN: ColumnDefinition = wide('Containers', 'string', 'Container names in the pod template.');
export const IMAGES_COLUMN: ColumnDefinition = wide('Images', 'string', 'Container images in the pod template.');
export const SELECTOR_COLUMN: ColumnDefinition = wide('Selector', 'string', 'Label selector of the managed pods.');

/** Builds a printer for objects of shape T (a typed view of the JSON object). */
export function printer<T = KObject>(
  columns: ColumnDefinition[],
  row: (obj: T, now: number) => unknown[],
  conditions?: (obj: T) => TableRowCondition[] | undefined,
): TablePrinter {
  const p: TablePrinter = { columns, row: (obj, now) => row(obj as T, now) };
  if (conditions) p.conditions = (obj) => conditions(obj as T);
  return p;
}
