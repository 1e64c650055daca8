import { InMemoryEventStore } from '../src/index.js';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract(
  InMemoryEventStore.name,
  () => Promise.resolve(new InMemoryEventStore()),
  (store) => store.close(),
);
