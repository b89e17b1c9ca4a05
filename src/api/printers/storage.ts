// Storage: PersistentVolume, PersistentVolumeClaim, StorageClass, VolumeAttachment, CSIDriver,
// CSINode, CSIStorageCapacity, VolumeAttributesClass.
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { CSIDriver, CSINode, CSIStorageCapacity, StorageClass, VolumeAttachment } from 'kubernetes-types/storage/v1.js';
import { quantity, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, wide, type KObject, type TablePrinter } from './types.js';

const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

const ACCESS_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `RWO,ROX,RWX,RWOP` in that order, each once. */
export function accessModes(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ACCESS_MODES.filter(([m]) => set.has(m))
    .map(([, short]) => short)
    .join(',');
}

/** The beta annotation wins over spec.storageClassName, as upstream's helpers. */
function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  const ann = obj.metadata?.annotations ?? {};
  if (Object.prototype.hasOwnProperty.call(ann, BETA_STORAGE_CLASS_ANNOTATION)) return ann[BETA_STORAGE_CLASS_ANNOTATION]!;
  return obj.spec?.storageClassName ?? '';
}

export const persistentVolumePrinter: TablePrinter = printer<PersistentVolume & { spec?: { volumeAttributesClassName?: string } }>(
  [
    NAME_COLUMN,
    col('Capacity', 'string', 'Storage capacity.'),
    col('Access Modes', 'string', 'Ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'What happens to the volume when released.'),
    col('Status', 'string', 'Phase of the volume.'),
    col('Claim', 'string', 'Claim bound to the volume.'),
    col('StorageClass', 'string', 'Storage class of the volume.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class of the volume.'),
    col('Reason', 'string', 'Reason for the phase.'),
    AGE_COLUMN,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  (pv, now) => {
    const ref = pv.spec?.claimRef;
    return [
      pv.metadata?.name ?? '',
      quantity(pv.spec?.capacity?.storage),
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? '',
      pv.metadata?.deletionTimestamp ? 'Terminating' : (pv.status?.phase ?? ''),
      ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '',
      storageClassOf(pv),
      pv.spec?.volumeAttributesClassName ?? '<unset>',
      pv.status?.reason ?? '',
      since(pv.metadata?.creationTimestamp, now),
      pv.spec?.volumeMode ?? '<unset>',
    ];
  },
);

export const persistentVolumeClaimPrinter: TablePrinter = printer<PersistentVolumeClaim & { spec?: { volumeAttributesClassName?: string } }>(
  [
    NAME_COLUMN,
    col('Status', 'string', 'Phase of the claim.'),
    col('Volume', 'string', 'Volume bound to the claim.'),
    col('Capacity', 'string', 'Capacity of the bound volume.'),
    col('Access Modes', 'string', 'Access modes of the bound volume.'),
    col('StorageClass', 'string', 'Storage class requested.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class requested.'),
    AGE_COLUMN,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  (pvc, now) => {
    const volume = pvc.spec?.volumeName ?? '';
    const bound = volume !== '';
    return [
      pvc.metadata?.name ?? '',
      pvc.metadata?.deletionTimestamp ? 'Terminating' : (pvc.status?.phase ?? ''),
      volume,
      bound ? quantity(pvc.status?.capacity?.storage) : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      pvc.spec?.volumeAttributesClassName ?? '<unset>',
      since(pvc.metadata?.creationTimestamp, now),
      pvc.spec?.volumeMode ?? '<unset>',
    ];
  },
);

export const storageClassPrinter: TablePrinter = printer<StorageClass>(
  [
    NAME_COLUMN,
    col('Provisioner', 'string', 'Provisioner of volumes of the class.'),
    col('ReclaimPolicy', 'string', 'Reclaim policy of provisioned volumes.'),
    col('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    col('AllowVolumeExpansion', 'string', 'Whether volumes can be expanded.'),
    AGE_COLUMN,
  ],
  (sc, now) => {
    const ann = sc.metadata?.annotations ?? {};
    const isDefault = ann[DEFAULT_CLASS_ANNOTATION] === 'true' || ann[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
    return [
      `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
      sc.provisioner ?? '',
      sc.reclaimPolicy ?? 'Delete',
      sc.volumeBindingMode ?? 'Immediate',
      sc.allowVolumeExpansion ?? false,
      since(sc.metadata?.creationTimestamp, now),
    ];
  },
);

export const volumeAttachmentPrinter: TablePrinter = printer<VolumeAttachment>(
  [
    NAME_COLUMN,
    col('Attacher', 'string', 'Driver that attaches the volume.', { format: 'name' }),
    col('PV', 'string', 'Persistent volume attached.'),
    col('Node', 'string', 'Node the volume is attached to.'),
    col('Attached', 'boolean', 'Whether the volume is attached.'),
    AGE_COLUMN,
  ],
  (va, now) => [
    va.metadata?.name ?? '',
    va.spec?.attacher ?? '',
    va.spec?.source?.persistentVolumeName ?? '',
    va.spec?.nodeName ?? '',
    va.status?.attached ?? false,
    since(va.metadata?.creationTimestamp, now),
  ],
);

export const csiDriverPrinter: TablePrinter = printer<CSIDriver>(
  [
    NAME_COLUMN,
    col('AttachRequired', 'boolean', 'Whether volumes need attaching.'),
    col('PodInfoOnMount', 'boolean', 'Whether pod information is passed on mount.'),
    col('StorageCapacity', 'boolean', 'Whether capacity is reported.'),
    col('TokenRequests', 'string', 'Audiences of requested service account tokens.'),
    col('RequiresRepublish', 'boolean', 'Whether volumes are periodically republished.'),
    col('Modes', 'string', 'Supported volume lifecycle modes.'),
    AGE_COLUMN,
  ],
  (d, now) => {
    const spec = d.spec ?? {};
    const modes = (spec.volumeLifecycleModes ?? []).join(',');
    const tokens = spec.tokenRequests ? spec.tokenRequests.map((t) => t.audience).join(',') : '<unset>';
    return [
      d.metadata?.name ?? '',
      spec.attachRequired ?? true,
      spec.podInfoOnMount ?? false,
      spec.storageCapacity ?? false,
      tokens,
      spec.requiresRepublish ?? false,
      modes || '<none>',
      since(d.metadata?.creationTimestamp, now),
    ];
  },
);

export const csiNodePrinter: TablePrinter = printer<CSINode>(
  [NAME_COLUMN, col('Drivers', 'integer', 'Number of CSI drivers on the node.'), AGE_COLUMN],
  (n, now) => [n.metadata?.name ?? '', (n.spec?.drivers ?? []).length, since(n.metadata?.creationTimestamp, now)],
);

export const csiStorageCapacityPrinter: TablePrinter = printer<CSIStorageCapacity>(
  [NAME_COLUMN, col('StorageClassName', 'string', 'Storage class the capacity is for.'), col('Capacity', 'string', 'Available capacity.')],
  (c) => [c.metadata?.name ?? '', c.storageClassName ?? '', typeof c.capacity === 'string' ? c.capacity : '<unset>'],
);

export const volumeAttributesClassPrinter: TablePrinter = printer<KObject>(
  [NAME_COLUMN, col('DriverName', 'string', 'CSI driver of the class.'), AGE_COLUMN],
  (v, now) => [v.metadata?.name ?? '', v.driverName ?? '', since(v.metadata?.creationTimestamp, now)],
);
