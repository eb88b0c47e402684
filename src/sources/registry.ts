/** The source types a config file can name. Adding a source is one line here. */
import type { SourceRegistry } from '../config/load-config.ts';
import { gladlySource } from './gladly/gladly-source.ts';
import { gleapSource } from './gleap/gleap-source.ts';

export const builtinSources: SourceRegistry = {
  gleap: gleapSource,
  gladly: gladlySource,
};
