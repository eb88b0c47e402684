/** Runs the shared warehouse contract against every warehouse in `warehouseFactories`. */
import { warehouseContract } from './warehouse-contract.ts';
import { warehouseFactories } from './warehouse-factories.ts';

for (const factory of warehouseFactories) warehouseContract(factory);
