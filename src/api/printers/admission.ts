// Admission and API priority: webhook configurations, (validating|mutating) admission policies
// and their bindings, FlowSchema, PriorityLevelConfiguration.
import { compareStrings } from '../selectors/label-selector.js';
import { int, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, type KObject, type TablePrinter } from './types.js';

function webhookConfigurationPrinter(): TablePrinter {
  return printer<KObject>(
    [NAME_COLUMN, col('Webhooks', 'integer', 'Number of webhooks in the configuration.'), AGE_COLUMN],
    (w, now) => [w.metadata?.name ?? '', ((w.webhooks as unknown[] | undefined) ?? []).length, since(w.metadata?.creationTimestamp, now)],
  );
}

export const mutatingWebhookConfigurationPrinter: TablePrinter = webhookConfigurationPrinter();
export const validatingWebhookConfigurationPrinter: TablePrinter = webhookConfigurationPrinter();

function policyPrinter(rulesColumn: string, rulesField: string): TablePrinter {
  return printer<KObject>(
    [
      NAME_COLUMN,
      col(rulesColumn, 'integer', `Number of ${rulesField} in the policy.`),
      col('ParamKind', 'string', 'Kind of the parameter resources.'),
      AGE_COLUMN,
    ],
    (p, now) => {
      const pk = p.spec?.paramKind;
      return [
        p.metadata?.name ?? '',
        ((p.spec?.[rulesField] as unknown[] | undefined) ?? []).length,
        pk ? `${pk.apiVersion ?? ''}/${pk.kind ?? ''}` : '<unset>',
        since(p.metadata?.creationTimestamp, now),
      ];
    },
  );
}

export const validatingAdmissionPolicyPrinter: TablePrinter = policyPrinter('Validations', 'validations');
export const mutatingAdmissionPolicyPrinter: TablePrinter = policyPrinter('Mutations', 'mutations');

/** The Go struct string of a LabelSelector (the generated String() a binding's param selector prints with). */
function goLabelSelectorString(s: KObject): string {
  const labels = s.matchLabels ?? {};
  const keys = Object.keys(labels).sort(compareStrings);
  const exprs = ((s.matchExpressions as KObject[] | undefined) ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key ?? ''},Operator:${e.operator ?? ''},Values:[${((e.values as string[]) ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${keys.map((k) => `${k}: ${labels[k]},`).join('')}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}

function bindingPrinter(): TablePrinter {
  return printer<KObject>(
    [
      NAME_COLUMN,
      col('PolicyName', 'string', 'Policy the binding applies.'),
      col('ParamRef', 'string', 'Parameter resource of the binding.'),
      AGE_COLUMN,
    ],
    (b, now) => {
      const ref = b.spec?.paramRef;
      let param = '<unset>';
      if (ref) {
        if (ref.name) param = ref.namespace ? `${ref.namespace}/${ref.name}` : `*/${ref.name}`;
        else if (ref.selector) param = goLabelSelectorString(ref.selector);
      }
      return [b.metadata?.name ?? '', b.spec?.policyName ?? '', param, since(b.metadata?.creationTimestamp, now)];
    },
  );
}

export const validatingAdmissionPolicyBindingPrinter: TablePrinter = bindingPrinter();
export const mutatingAdmissionPolicyBindingPrinter: TablePrinter = bindingPrinter();

export const flowSchemaPrinter: TablePrinter = printer<KObject>(
  [
    NAME_COLUMN,
    col('PriorityLevel', 'string', 'Priority level of matching requests.'),
    col('MatchingPrecedence', 'string', 'Lower values are matched first.'),
    col('DistinguisherMethod', 'string', 'How flows are told apart.'),
    AGE_COLUMN,
    col('MissingPL', 'string', 'Whether the priority level does not exist.'),
  ],
  (fs, now) => {
    const dangling = ((fs.status?.conditions as KObject[] | undefined) ?? []).find((c) => c.type === 'Dangling');
    return [
      fs.metadata?.name ?? '',
      fs.spec?.priorityLevelConfiguration?.name ?? '',
      int(fs.spec?.matchingPrecedence),
      fs.spec?.distinguisherMethod?.type ?? '<none>',
      since(fs.metadata?.creationTimestamp, now),
      dangling ? String(dangling.status ?? '') : '?',
    ];
  },
);

export const priorityLevelConfigurationPrinter: TablePrinter = printer<KObject>(
  [
    NAME_COLUMN,
    col('Type', 'string', 'Exempt or Limited.'),
    col('NominalConcurrencyShares', 'string', 'Share of the server concurrency.'),
    col('Queues', 'string', 'Number of queues.'),
    col('HandSize', 'string', 'Queues considered per flow.'),
    col('QueueLengthLimit', 'string', 'Requests allowed waiting per queue.'),
    AGE_COLUMN,
  ],
  (pl, now) => {
    const limited = pl.spec?.limited;
    let ncs: unknown = '<none>';
    let queues: unknown = '<none>';
    let handSize: unknown = '<none>';
    let queueLengthLimit: unknown = '<none>';
    if (limited) {
      ncs = int(limited.nominalConcurrencyShares);
      const queuing = limited.limitResponse?.queuing;
      if (queuing) {
        queues = int(queuing.queues);
        handSize = int(queuing.handSize);
        queueLengthLimit = int(queuing.queueLengthLimit);
      }
    }
    return [pl.metadata?.name ?? '', pl.spec?.type ?? '', ncs, queues, handSize, queueLengthLimit, since(pl.metadata?.creationTimestamp, now)];
  },
);
