// Runs the conformance suite against the in-memory backend.
import { runStoreConformance } from '../conformance';
import { MemoryStore } from './memory-store';

runStoreConformance({ name: 'memory', newBackend: async () => new MemoryStore() });
