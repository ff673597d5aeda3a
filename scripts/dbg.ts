import { selectBackend } from '../src/backend';
import { nodeLoaders } from '../src/backend/nodeLoaders';
export async function main() {
  const r = await selectBackend({ loaders: nodeLoaders, requested: 'cpu', order: ['cpu'] });
  console.log(JSON.stringify(r));
  return 0;
}
