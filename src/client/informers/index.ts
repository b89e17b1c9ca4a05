export { DeletedFinalStateUnknown, isDeletedFinalStateUnknown, deletedObject, metaNamespaceKey, deletionHandlingMetaNamespaceKey, splitMetaNamespaceKey, type KeyFunc } from './keys.js';
export { newStore, type Store } from './store.js';
export { IndexedStore, NAMESPACE_INDEX, metaNamespaceIndexFunc, type Indexer, type Indexers, type IndexFunc } from './indexer.js';
export { Lister, everything, type NamespaceLister, type Selector } from './lister.js';
export { listWatch, type ListerWatcher, type ListWatchOptions } from './list-watch.js';
export { Reflector, type ReflectorOptions, type ReflectorStore } from './reflector.js';
export { SharedIndexInformer, type ResourceEventHandler, type HandlerRegistration, type SharedInformerOptions } from './shared-informer.js';
export { SharedInformerFactory, type InformerFactoryOptions, type InformerOptions } from './informer-factory.js';
