import v8 from 'node:v8';
import vm from 'node:vm';

// The load run's memory checks compare live heaps, not garbage: two full GCs, then the used heap.
// Shared by the runner (the server's figures arrive by IPC) and the role workers (their own heap).
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export const settledHeap = (): number => {
  gc();
  gc();
  return v8.getHeapStatistics().used_heap_size;
};
