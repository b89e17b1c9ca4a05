// RBAC bindings. Roles and ClusterRoles have no printer upstream (NAME, CREATED AT).
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1.js';
import { since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, wide, type TablePrinter } from './types.js';

/** Users, groups and `namespace/name` service accounts of a binding. */
function subjects(list: Subject[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of list ?? []) {
    if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string): TablePrinter {
  return printer<RoleBinding | ClusterRoleBinding>(
    [
      NAME_COLUMN,
      col('Role', 'string', `Role the ${what} grants.`),
      AGE_COLUMN,
      wide('Users', 'string', `Users in the ${what}.`),
      wide('Groups', 'string', `Groups in the ${what}.`),
      wide('ServiceAccounts', 'string', `Service accounts in the ${what}.`),
    ],
    (b, now) => [b.metadata?.name ?? '', `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, since(b.metadata?.creationTimestamp, now), ...subjects(b.subjects)],
  );
}

export const roleBindingPrinter: TablePrinter = bindingPrinter('role binding');
export const clusterRoleBindingPrinter: TablePrinter = bindingPrinter('cluster role binding');
