/**
 * Where Flower keeps its data and config. Flags win over environment variables, which win over
 * the user's platform directories (XDG on Linux, honoured everywhere when set).
 */
import envPaths from 'env-paths';
import { isAbsolute, join, resolve } from 'node:path';

export interface PathOverrides {
  dataDir?: string | undefined;
  configFile?: string | undefined;
}

export interface FlowerPaths {
  dataDir: string;
  configFile: string;
  /** The SQLite database. */
  database: string;
  /** The YAML content folder (worlds, characters, rules). */
  assetsDir: string;
  /** JSON-lines log. */
  logFile: string;
}

const APP_NAME = 'flower';

function platformDirs(env: NodeJS.ProcessEnv): { data: string; config: string } {
  const defaults = envPaths(APP_NAME, { suffix: '' });
  return {
    data: env.XDG_DATA_HOME ? join(env.XDG_DATA_HOME, APP_NAME) : defaults.data,
    config: env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, APP_NAME) : defaults.config,
  };
}

const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(path));

export function resolvePaths(overrides: PathOverrides, env: NodeJS.ProcessEnv): FlowerPaths {
  const dirs = platformDirs(env);
  const dataDir = absolute(overrides.dataDir || env.FLOWER_DATA_DIR || dirs.data);
  const configFile = absolute(overrides.configFile || env.FLOWER_CONFIG || join(dirs.config, 'config.yaml'));
  return {
    dataDir,
    configFile,
    database: join(dataDir, 'flower.db'),
    assetsDir: join(dataDir, 'assets'),
    logFile: join(dataDir, 'flower.log'),
  };
}
